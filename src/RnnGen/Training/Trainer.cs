using System.Diagnostics;
using System.Globalization;

namespace RnnGen.Training;

/// <summary>
/// The training loop of a language model: windows of the token stream with the state carried between
/// them, gradient clipping, an optimiser step and schedules; validation loss, perplexity and bits per
/// token; the best checkpoint kept; early stopping; resuming with the optimiser's state.
/// </summary>
public sealed class Trainer
{
    private const string Prefix = "rnngen.trainer.";
    private readonly ILanguageModel _model;
    private readonly Optimizer _optimizer;
    private readonly TrainingOptions _options;

    public Trainer(ILanguageModel model, Optimizer optimizer, TrainingOptions? options = null)
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

    /// <summary>Trains on <paramref name="train"/> and validates on <paramref name="validation"/> (which may be empty).</summary>
    public TrainingHistory Fit(ReadOnlyMemory<int> train, ReadOnlyMemory<int> validation, CancellationToken cancellation = default)
    {
        var o = _options;
        var batches = new LanguageModelBatches(train, o.BatchSize, o.Steps);
        var results = new List<EpochResult>();
        var state = _model.CreateState(o.BatchSize);
        var position = new Position();
        if (o.ResumeFrom is not null) position = Resume(o.ResumeFrom, state);

        long totalWindows = (long)batches.WindowsPerEpoch * o.Epochs;
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
            int window = -1;
            foreach (var w in batches)
            {
                window = w.Index;
                if (epoch == position.Epoch && window < position.Window) continue; // resumed: skip what was done
                if (!o.CarryState || !w.ContinuesPrevious) state.Reset();
                if (o.Schedule is not null) _optimizer.LearningRate = o.Schedule.LearningRateAt(_optimizer.StepCount);

                float loss = _model.ForwardBackward(w.Batch, o.CarryState ? state : null);
                if (!float.IsFinite(loss))
                    throw new TrainingDivergedException(_optimizer.StepCount + 1, epoch, loss, lastGood);
                if (o.ClipNorm > 0) GradientClipping.ClipGlobalNorm(_model.Parameters, o.ClipNorm);
                _optimizer.Step(_model.Parameters);
                position = position with { Tokens = position.Tokens + (long)o.BatchSize * o.Steps };
                smoothed = double.IsNaN(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;

                bool last = window == batches.WindowsPerEpoch - 1;
                bool budgetSpent = (o.MaxTokens is { } maxTokens && position.Tokens >= maxTokens)
                                   || (o.MaxDuration is { } maxDuration && Elapsed() >= maxDuration)
                                   || cancellation.IsCancellationRequested;
                double fraction = (window + 1) / (double)batches.WindowsPerEpoch;
                var progressPosition = new Position(epoch, window + 1, position.Tokens, Elapsed(), position.Best, position.SinceBest);

                // ValidationsPerEpoch evenly spaced validations, the last one at the end of the epoch.
                int perEpoch = o.ValidationsPerEpoch, windows = batches.WindowsPerEpoch;
                bool due = (long)(window + 1) * perEpoch / windows > (long)window * perEpoch / windows;
                if (last || budgetSpent || due)
                {
                    var result = Validate(validation, epoch, fraction, (float)smoothed, progressPosition);
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
                            WriteCheckpoint(o.CheckpointPath, position, state);
                            lastGood = o.CheckpointPath;
                        }
                        if (o.Plateau is not null) _optimizer.LearningRate = o.Plateau.Report(result.ValidationLoss);
                        Report(epoch, fraction, smoothed, tokensAtStart, position, clock, totalWindows, batches, result, Elapsed());
                    }
                    else
                    {
                        position = progressPosition;
                    }
                    if (o.LastCheckpointPath is not null) WriteCheckpoint(o.LastCheckpointPath, position, state);
                }
                else
                {
                    position = progressPosition;
                    if (Elapsed() - lastReport >= o.ProgressInterval)
                    {
                        lastReport = Elapsed();
                        Report(epoch, fraction, smoothed, tokensAtStart, position, clock, totalWindows, batches, null, Elapsed());
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
        long totalWindows, LanguageModelBatches batches, EpochResult? validation, TimeSpan elapsed)
    {
        if (_options.Progress is null) return;
        double seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
        double rate = (position.Tokens - tokensAtStart) / seconds;
        long tokensLeft = (totalWindows - ((long)(epoch - 1) * batches.WindowsPerEpoch + (long)Math.Round(fraction * batches.WindowsPerEpoch))) * _options.BatchSize * _options.Steps;
        if (_options.MaxTokens is { } max) tokensLeft = Math.Min(tokensLeft, max - position.Tokens);
        TimeSpan? remaining = rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, tokensLeft) / rate) : null;
        if (_options.MaxDuration is { } d && remaining is { } r && d - elapsed < r) remaining = d - elapsed < TimeSpan.Zero ? TimeSpan.Zero : d - elapsed;
        _options.Progress.Report(new TrainingProgress(epoch, _optimizer.StepCount, fraction, (float)smoothed, rate, elapsed, remaining,
            _optimizer.LearningRate, validation));
    }

    /// <summary>The mean loss over the validation tokens, read in windows with the state carried; null if there are too few.</summary>
    private EpochResult? Validate(ReadOnlyMemory<int> validation, int epoch, double fraction, float trainLoss, Position position)
    {
        float loss = Evaluate(_model, validation, _options.BatchSize, _options.Steps);
        if (float.IsNaN(loss)) return null;
        return new EpochResult(epoch, _optimizer.StepCount, fraction, trainLoss, loss, position.Tokens, position.Elapsed, _optimizer.LearningRate);
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

    private void WriteCheckpoint(string path, Position position, RecurrentState state)
    {
        var tensors = _model.Parameters.Select(SafeTensor.FromParameter).ToList();
        foreach (var (key, values) in _optimizer.ExportState())
            tensors.Add(new SafeTensor("optimizer." + key, [values.Length], values));
        for (int k = 0; k < state.Layers.Length; k++)
            tensors.Add(new SafeTensor($"trainer.state_l{k}", [state.Layers[k].Length], (float[])state.Layers[k].Clone()));
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
            [Prefix + "state_is_zero"] = state.IsZero ? "true" : "false",
        };
        if (_options.Vocabulary is not null) metadata[LanguageModel.VocabularyMetadataKey] = _options.Vocabulary.ToJson();
        SafeTensors.Write(path, tensors, metadata);
    }

    private Position Resume(string path, RecurrentState state)
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
            for (int k = 0; k < state.Layers.Length; k++)
            {
                var saved = file[$"trainer.state_l{k}"].Data;
                if (saved.Length != state.Layers[k].Length)
                    throw new CheckpointException(path, $"its carried state for layer {k} was saved with a different batch size");
                saved.CopyTo(state.Layers[k], 0);
            }
            state.IsZero = Need("state_is_zero") == "true";
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
