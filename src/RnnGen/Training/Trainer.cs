using System.Diagnostics;
using System.Globalization;

namespace RnnGen.Training;

/// <summary>
/// The training loop of every topology: batches of the data (windows of a token stream with the state
/// carried between them, or bucketed, shuffled sequences), gradient clipping, an optimiser step and
/// schedules; validation loss and the task's metric (perplexity, accuracy, RMSE, exact match); the best checkpoint
/// (lowest validation loss) kept; early stopping; resuming with the optimiser's state.
/// </summary>
public sealed class Trainer
{
    internal const string MetadataPrefix = "rnngen.trainer.";
    private const string Prefix = MetadataPrefix;
    private readonly ITrainable _model;
    private readonly Optimizer _optimizer;
    private readonly TrainingOptions _options;

    public Trainer(ITrainable model, Optimizer optimizer, TrainingOptions? options = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        _options = options ?? new TrainingOptions();
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.BatchSize, "BatchSize");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.Steps, "Steps");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.Epochs, "Epochs");
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(_options.ValidationsPerEpoch, "ValidationsPerEpoch");
    }

    /// <summary>Trains on the first part of <paramref name="tokens"/> and validates on its last <paramref name="validationFraction"/>.</summary>
    public TrainingHistory Fit(ReadOnlyMemory<int> tokens, double validationFraction = 0.05, CancellationToken cancellation = default)
    {
        var split = LanguageModelBatches.TrainValidationSplit(tokens, validationFraction);
        return Fit(split.Train, split.Validation, cancellation);
    }

    /// <summary>Trains a language model on <paramref name="train"/> and validates on <paramref name="validation"/> (which may be empty).</summary>
    public TrainingHistory Fit(ReadOnlyMemory<int> train, ReadOnlyMemory<int> validation, CancellationToken cancellation = default) =>
        Run(new LanguageModelTask(As<ILanguageModel>("a token stream"), train, validation, _options), cancellation);

    /// <summary>Trains a sequence classifier; validation reports accuracy.</summary>
    public TrainingHistory Fit(LabeledSequences train, LabeledSequences? validation = null, CancellationToken cancellation = default) =>
        Run(new ClassifierTask(As<SequenceClassifier>("labeled sequences"), train, validation, _options), cancellation);

    /// <summary>Trains a sequence tagger; validation reports accuracy over the tokens.</summary>
    public TrainingHistory Fit(TaggedSequences train, TaggedSequences? validation = null, CancellationToken cancellation = default) =>
        Run(new TaggerTask(As<SequenceTagger>("tagged sequences"), train, validation, _options), cancellation);

    /// <summary>Trains a sequence regressor; validation reports the root mean squared error.</summary>
    public TrainingHistory Fit(RegressionSequences train, RegressionSequences? validation = null, CancellationToken cancellation = default) =>
        Run(new RegressorTask(As<SequenceRegressor>("regression sequences"), train, validation, _options), cancellation);

    /// <summary>Trains a sequence-to-sequence model; validation reports exact match (see <see cref="SentencePairs"/>).</summary>
    public TrainingHistory Fit(SentencePairs train, SentencePairs? validation = null, CancellationToken cancellation = default) =>
        Run(new Seq2SeqTask(As<Seq2SeqModel>("sentence pairs"), train, validation, _options), cancellation);

    private TModel As<TModel>(string data) => _model is TModel m ? m
        : throw new ArgumentException($"A {_model.Configuration.Kind} ({_model.GetType().Name}) cannot train on {data}; that needs a {typeof(TModel).Name}.");

    private TrainingHistory Run(ITrainingTask task, CancellationToken cancellation)
    {
        var o = _options;
        var results = new List<EpochResult>();
        var position = new Position();
        if (o.ResumeFrom is not null) position = Resume(o.ResumeFrom, task);
        int windows = task.BatchesPerEpoch;

        var clock = Stopwatch.StartNew();
        var elapsedBefore = position.Elapsed;
        TimeSpan Elapsed() => elapsedBefore + clock.Elapsed;
        long tokensAtStart = position.Tokens;
        double smoothed = double.NaN;
        var lastReport = TimeSpan.Zero;
        string? lastGood = o.CheckpointPath is not null && File.Exists(o.CheckpointPath) && o.ResumeFrom is not null ? o.CheckpointPath : null;
        _model.Training = true;

        for (int epoch = position.Epoch; epoch <= o.Epochs; epoch++)
        {
            foreach (int window in task.Epoch(epoch))
            {
                if (epoch == position.Epoch && window < position.Window) continue; // resumed: skip what was done
                if (o.Schedule is not null) _optimizer.LearningRate = o.Schedule.LearningRateAt(_optimizer.StepCount);

                float loss = task.Train();
                if (!float.IsFinite(loss))
                    throw new TrainingDivergedException(_optimizer.StepCount + 1, epoch, loss, lastGood);
                if (o.ClipNorm > 0) GradientClipping.ClipGlobalNorm(_model.Parameters, o.ClipNorm);
                _optimizer.Step(_model.Parameters);
                position = position with { Tokens = position.Tokens + task.CurrentTokens };
                smoothed = double.IsNaN(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;

                bool last = window == windows - 1;
                bool budgetSpent = (o.MaxTokens is { } maxTokens && position.Tokens >= maxTokens)
                                   || (o.MaxDuration is { } maxDuration && Elapsed() >= maxDuration)
                                   || cancellation.IsCancellationRequested;
                double fraction = (window + 1) / (double)windows;
                var progressPosition = new Position(epoch, window + 1, position.Tokens, Elapsed(), position.Best, position.SinceBest);

                // ValidationsPerEpoch evenly spaced validations, the last one at the end of the epoch.
                int perEpoch = o.ValidationsPerEpoch;
                bool due = (long)(window + 1) * perEpoch / windows > (long)window * perEpoch / windows;
                if (last || budgetSpent || due)
                {
                    var result = Validate(task, epoch, fraction, (float)smoothed, progressPosition);
                    if (result is not null)
                    {
                        results.Add(result);
                        bool improved = result.ValidationLoss < position.Best;
                        position = progressPosition with
                        {
                            Best = improved ? result.ValidationLoss : position.Best,
                            SinceBest = improved ? 0 : position.SinceBest + (last ? 1 : 0),
                        };
                        if (improved && o.CheckpointPath is not null)
                        {
                            WriteCheckpoint(o.CheckpointPath, position, task);
                            lastGood = o.CheckpointPath;
                        }
                        if (o.Plateau is not null) _optimizer.LearningRate = o.Plateau.Report(result.ValidationLoss);
                        Report(epoch, fraction, smoothed, tokensAtStart, position, clock, task.TokensPerEpoch, result, Elapsed());
                        if (o.StopAtMetric is { } goal && result.Metric >= goal)
                        {
                            if (o.LastCheckpointPath is not null) WriteCheckpoint(o.LastCheckpointPath, position, task);
                            return new TrainingHistory(results, $"{result.MetricName} reached {goal}");
                        }
                    }
                    else
                    {
                        position = progressPosition;
                    }
                    if (o.LastCheckpointPath is not null) WriteCheckpoint(o.LastCheckpointPath, position, task);
                }
                else
                {
                    position = progressPosition;
                    if (Elapsed() - lastReport >= o.ProgressInterval)
                    {
                        lastReport = Elapsed();
                        Report(epoch, fraction, smoothed, tokensAtStart, position, clock, task.TokensPerEpoch, null, Elapsed());
                    }
                }

                if (budgetSpent)
                {
                    string reason = cancellation.IsCancellationRequested ? "cancelled" : o.MaxTokens is { } t && position.Tokens >= t ? "token budget reached" : "time budget reached";
                    return new TrainingHistory(results, reason);
                }
                if (last && o.EarlyStoppingPatience is { } patience && position.SinceBest >= patience)
                    return new TrainingHistory(results, $"no improvement for {patience} epoch(s)");
            }
            position = position with { Epoch = epoch + 1, Window = 0 };
        }
        return new TrainingHistory(results, $"{o.Epochs} epoch(s) done");
    }

    private void Report(int epoch, double fraction, double smoothed, long tokensAtStart, Position position, Stopwatch clock,
        long tokensPerEpoch, EpochResult? validation, TimeSpan elapsed)
    {
        if (_options.Progress is null) return;
        double seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
        double rate = (position.Tokens - tokensAtStart) / seconds;
        long tokensLeft = tokensPerEpoch * _options.Epochs - position.Tokens;
        if (_options.MaxTokens is { } max) tokensLeft = Math.Min(tokensLeft, max - position.Tokens);
        TimeSpan? remaining = rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, tokensLeft) / rate) : null;
        if (_options.MaxDuration is { } d && remaining is { } r && d - elapsed < r) remaining = d - elapsed < TimeSpan.Zero ? TimeSpan.Zero : d - elapsed;
        _options.Progress.Report(new TrainingProgress(epoch, _optimizer.StepCount, fraction, (float)smoothed, rate, elapsed, remaining,
            _optimizer.LearningRate, validation));
    }

    /// <summary>The validation loss and metric, with dropout off; null when there is nothing to validate on.</summary>
    private EpochResult? Validate(ITrainingTask task, int epoch, double fraction, float trainLoss, Position position)
    {
        bool training = _model.Training;
        _model.Training = false;
        Validation? v;
        try
        {
            v = task.Validate();
        }
        finally
        {
            _model.Training = training;
        }
        if (v is not { } result) return null;
        return new EpochResult(epoch, _optimizer.StepCount, fraction, trainLoss, result.Loss, position.Tokens, position.Elapsed, _optimizer.LearningRate)
        {
            MetricName = result.MetricName,
            Metric = result.Metric,
        };
    }

    /// <summary>
    /// The mean cross-entropy per token of <paramref name="tokens"/>, read as the model would read a long text:
    /// rows side by side, state carried; NaN when there are too few tokens for one window.
    /// </summary>
    public static float Evaluate(ILanguageModel model, ReadOnlyMemory<int> tokens, int batchSize, int steps)
    {
        if (tokens.Length < 2) return float.NaN;
        // A short validation text gets fewer rows, then shorter windows, rather than none.
        int rows = Math.Max(1, Math.Min(batchSize, (tokens.Length - 1) / steps));
        int length = Math.Max(1, Math.Min(steps, (tokens.Length - 1) / rows));
        var batches = new LanguageModelBatches(tokens, rows, length);
        var state = model.CreateState(rows);
        bool training = model.Training;
        model.Training = false;
        try
        {
            double total = 0;
            long count = 0;
            foreach (var w in batches)
            {
                total += model.Loss(w.Batch, state) * (double)(rows * length);
                count += rows * length;
            }
            return (float)(total / count);
        }
        finally
        {
            model.Training = training;
        }
    }

    // ---- Checkpoints with the trainer's state ---------------------------------------------------------

    private void WriteCheckpoint(string path, Position position, ITrainingTask task)
    {
        var tensors = _model.Parameters.Select(SafeTensor.FromParameter).ToList();
        foreach (var (key, values) in _optimizer.ExportState())
            tensors.Add(new SafeTensor("optimizer." + key, [values.Length], values));
        string Number(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        var metadata = new Dictionary<string, string>
        {
            ["format"] = "pt",
            [ModelConfiguration.MetadataKey] = _model.Configuration.ToJson(),
            [Prefix + "epoch"] = position.Epoch.ToString(CultureInfo.InvariantCulture),
            [Prefix + "window"] = position.Window.ToString(CultureInfo.InvariantCulture),
            [Prefix + "tokens"] = position.Tokens.ToString(CultureInfo.InvariantCulture),
            [Prefix + "elapsed_seconds"] = Number(position.Elapsed.TotalSeconds),
            [Prefix + "best_loss"] = Number(position.Best),
            [Prefix + "since_best"] = position.SinceBest.ToString(CultureInfo.InvariantCulture),
            [Prefix + "learning_rate"] = Number(_optimizer.LearningRate),
        };
        task.Save(tensors, metadata);
        if (_options.Vocabulary is not null) metadata[LanguageModel.VocabularyMetadataKey] = _options.Vocabulary.ToJson();
        SafeTensors.Write(path, tensors, metadata);
    }

    private Position Resume(string path, ITrainingTask task)
    {
        var file = _model.Load(path);
        var m = file.Metadata;
        string Need(string key) => m.TryGetValue(Prefix + key, out var v) ? v
            : throw new CheckpointException(path, $"it has no trainer state ('{Prefix}{key}'); it can be loaded into a model but not resumed");
        var optimizerState = new Dictionary<string, float[]>();
        foreach (var name in file.Names.Where(n => n.StartsWith("optimizer.", StringComparison.Ordinal)))
            optimizerState[name["optimizer.".Length..]] = file[name].Data;
        try
        {
            _optimizer.ImportState(optimizerState);
            var position = new Position(
                int.Parse(Need("epoch"), CultureInfo.InvariantCulture),
                int.Parse(Need("window"), CultureInfo.InvariantCulture),
                long.Parse(Need("tokens"), CultureInfo.InvariantCulture),
                TimeSpan.FromSeconds(double.Parse(Need("elapsed_seconds"), CultureInfo.InvariantCulture)),
                float.Parse(Need("best_loss"), CultureInfo.InvariantCulture),
                int.Parse(Need("since_best"), CultureInfo.InvariantCulture));
            _optimizer.LearningRate = float.Parse(Need("learning_rate"), CultureInfo.InvariantCulture);
            task.Restore(file, path);
            return position;
        }
        catch (Exception e) when (e is FormatException or ArgumentException or KeyNotFoundException)
        {
            throw new CheckpointException(path, $"its trainer state is unreadable ({e.Message})", e);
        }
    }

    /// <summary>Where training stands: the next epoch (from 1) and window to run, and the best validation loss so far.</summary>
    private sealed record Position(int Epoch = 1, int Window = 0, long Tokens = 0, TimeSpan Elapsed = default, float Best = float.PositiveInfinity, int SinceBest = 0);
}
