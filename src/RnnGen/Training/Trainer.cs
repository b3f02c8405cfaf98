using System.Diagnostics;
using System.Globalization;

namespace RnnGen.Training;

/// <summary>
/// The training loop of every topology: batches of the data (windows of a token stream with the state
/// carried between them, or bucketed, shuffled sequences), gradient clipping, an optimiser step and
/// schedules; validation loss and the task's metric (perplexity, accuracy, RMSE, exact match); the best checkpoint
/// (lowest validation loss) kept; early stopping; resuming with the optimiser's state.
/// </summary>
/// <remarks>
/// <para>Resuming (<see cref="TrainingOptions.ResumeFrom"/>) restores everything that shapes training: parameters,
/// optimiser state, the data position and carried state, the learning rate, the plateau schedule's state, the dropout
/// streams of the built-in topologies, the best validation so far and where it was reached. A run stopped by a
/// budget and resumed (with a model of the same seed) then ends with the same parameters, bit for bit, as one that
/// never stopped. The extra validation made when a budget stops training is reported and may write the best
/// checkpoint, but it does not feed the plateau schedule, which an uninterrupted run would not have fed.</para>
/// <para>Divergence (<see cref="TrainingDivergedException"/>): a training or validation loss that is NaN or infinite,
/// a gradient norm that is, or, for a softmax over V classes (language models, classifiers, taggers, seq2seq), a
/// loss above 3 ln V + 10 nats once the first <see cref="DivergenceGraceSteps"/> steps are done. A uniform prediction
/// scores ln V; 3 ln V + 10 means the mean probability given to the right answer is below e^-10 / V^3, more than
/// 20,000 V^2 times worse than guessing, which no sane run reaches (a fresh model starts near ln V). No checkpoint
/// is ever written with a non-finite parameter.</para>
/// </remarks>
public sealed partial class Trainer
{
    /// <summary>The prefix of the trainer's keys in a checkpoint's metadata (see <see cref="TrainerCheckpoint"/>).</summary>
    internal const string MetadataPrefix = TrainerCheckpoint.Prefix;
    /// <summary>Steps of a fresh run during which a finite loss above the divergence ceiling is tolerated (an unusual initialisation).</summary>
    public const int DivergenceGraceSteps = 10;
    private readonly ITrainable _model;
    private readonly Optimizer _optimizer;
    private readonly TrainingOptions _options;

    public Trainer(ITrainable model, Optimizer optimizer, TrainingOptions? options = null)
    {
        _model = model ?? throw new ArgumentNullException(nameof(model));
        _optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        _options = options ?? new TrainingOptions();
        TrainingOptionsValidation.Check(_options, _optimizer);
        _communicator = _options.Communicator;
    }

    /// <summary>
    /// The highest loss a sane run of a softmax over <paramref name="classes"/> classes can have: 3 ln V + 10 nats
    /// (a uniform prediction has ln V). Above it, training has diverged.
    /// </summary>
    public static float DivergenceCeiling(int classes) => (float)(3 * Math.Log(Math.Max(classes, 1)) + 10);

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
        StartDataParallel();
        var resumedBest = position.BestResult;
        TrainingHistory Done(string reason) => new(results, reason) { ResumedBest = resumedBest };
        int windows = task.BatchesPerEpoch;
        float ceiling = task.Classes is { } classes ? DivergenceCeiling(classes) : float.PositiveInfinity;

        var clock = Stopwatch.StartNew();
        var elapsedBefore = position.Elapsed;
        TimeSpan Elapsed() => elapsedBefore + clock.Elapsed;
        long tokensAtStart = position.Tokens;
        double smoothed = double.NaN;
        var lastReport = TimeSpan.Zero;
        string? lastGood = o.ResumeFrom is null ? null
            : o.CheckpointPath is not null && File.Exists(o.CheckpointPath) ? o.CheckpointPath : o.ResumeFrom;
        _model.Training = true;

        for (int epoch = position.Epoch; epoch <= o.Epochs; epoch++)
        {
            foreach (int window in task.Epoch(epoch))
            {
                if (epoch == position.Epoch && window < position.Window) continue; // resumed: skip what was done
                if (o.Schedule is not null) _optimizer.LearningRate = o.Schedule.LearningRateAt(_optimizer.StepCount);

                // Data-parallel: every rank decides about its own budget and cancellation before the all-reduce, which
                // spreads the decision, so that all ranks stop after the same step. A single process decides after it.
                var stop = _communicator is null ? default : StopAsked(o, Elapsed(), cancellation);
                (float loss, stop) = TrainStep(task, stop);
                long step = _optimizer.StepCount + 1;
                CheckLoss(loss, ceiling, step, epoch, lastGood, "training");
                float norm = o.ClipNorm > 0 ? GradientClipping.ClipGlobalNorm(_model.Parameters, o.ClipNorm) : GradientClipping.GlobalNorm(_model.Parameters);
                if (!float.IsFinite(norm))
                    throw new TrainingDivergedException(step, epoch, loss, lastGood, $"the loss is {loss} but the gradient norm is {norm}");
                _optimizer.Step(_model.Parameters);
                position = position with { Tokens = position.Tokens + task.CurrentTokens };
                smoothed = double.IsNaN(smoothed) ? loss : 0.95 * smoothed + 0.05 * loss;

                bool last = window == windows - 1;
                if (_communicator is null) stop = StopAsked(o, Elapsed(), cancellation);
                bool tokensSpent = o.MaxTokens is { } maxTokens && position.Tokens >= maxTokens;
                bool budgetSpent = tokensSpent || stop.TimeUp || stop.Cancelled;
                double fraction = (window + 1) / (double)windows;
                var progressPosition = position with { Epoch = epoch, Window = window + 1, Elapsed = Elapsed() };

                // ValidationsPerEpoch evenly spaced validations, the last one at the end of the epoch.
                int perEpoch = o.ValidationsPerEpoch;
                bool scheduled = last || (long)(window + 1) * perEpoch / windows > (long)window * perEpoch / windows;
                if (scheduled || budgetSpent)
                {
                    var result = Validate(task, epoch, fraction, (float)smoothed, progressPosition);
                    if (result is not null)
                    {
                        CheckLoss(result.ValidationLoss, ceiling, _optimizer.StepCount, epoch, lastGood, "validation");
                        results.Add(result);
                        bool improved = result.ValidationLoss < position.Best;
                        position = progressPosition with
                        {
                            Best = improved ? result.ValidationLoss : position.Best,
                            BestResult = improved ? result : position.BestResult,
                            SinceBest = improved ? 0 : position.SinceBest + (last ? 1 : 0),
                        };
                        // The plateau counts the scheduled validations only: an uninterrupted run never sees a budget's.
                        if (o.Plateau is not null && scheduled) _optimizer.LearningRate = o.Plateau.Report(result.ValidationLoss);
                        if (improved && o.CheckpointPath is not null) lastGood = Checkpoint(o.CheckpointPath, position, task, step, epoch, lastGood);
                        Report(epoch, fraction, smoothed, loss, tokensAtStart, position, clock, task.TokensPerEpoch, result, Elapsed());
                        if (o.StopAtMetric is { } goal && result.Metric >= goal)
                        {
                            if (o.LastCheckpointPath is not null) Checkpoint(o.LastCheckpointPath, position, task, step, epoch, lastGood);
                            return Done($"{result.MetricName} reached {goal}");
                        }
                    }
                    else
                    {
                        position = progressPosition;
                    }
                    if (o.LastCheckpointPath is not null)
                    {
                        Checkpoint(o.LastCheckpointPath, position, task, step, epoch, lastGood);
                        lastGood ??= o.LastCheckpointPath;
                    }
                }
                else
                {
                    position = progressPosition;
                    if (Elapsed() - lastReport >= o.ProgressInterval)
                    {
                        lastReport = Elapsed();
                        Report(epoch, fraction, smoothed, loss, tokensAtStart, position, clock, task.TokensPerEpoch, null, Elapsed());
                    }
                }

                // Early stopping first: a run that is over must not look resumable because a budget ran out at the same window.
                if (last && o.EarlyStoppingPatience is { } patience && position.SinceBest >= patience)
                    return Done($"no improvement for {patience} epoch(s)");
                if (budgetSpent)
                {
                    string reason = stop.Cancelled ? "cancelled" : tokensSpent ? "token budget reached" : "time budget reached";
                    return Done(reason);
                }
            }
            position = position with { Epoch = epoch + 1, Window = 0 };
        }
        return Done($"{o.Epochs} epoch(s) done");
    }

    /// <summary>Throws when a loss is not finite, or (after the grace steps of a fresh run) above the ceiling of its softmax.</summary>
    private void CheckLoss(float loss, float ceiling, long step, int epoch, string? lastGood, string which)
    {
        if (!float.IsFinite(loss))
            throw new TrainingDivergedException(step, epoch, loss, lastGood, $"the {which} loss is {loss}");
        if (loss > ceiling && step > DivergenceGraceSteps)
            throw new TrainingDivergedException(step, epoch, loss, lastGood,
                $"the {which} loss is {loss}, above {ceiling:0.##} (3 ln V + 10 nats, V the classes of the softmax; a uniform prediction scores ln V)");
    }

    private void Report(int epoch, double fraction, double smoothed, float stepLoss, long tokensAtStart, Position position, Stopwatch clock,
        long tokensPerEpoch, EpochResult? validation, TimeSpan elapsed)
    {
        if (_options.Progress is null || !Leads) return;
        double seconds = Math.Max(clock.Elapsed.TotalSeconds, 1e-9);
        double rate = (position.Tokens - tokensAtStart) / seconds;
        long tokensLeft = tokensPerEpoch * _options.Epochs - position.Tokens;
        if (_options.MaxTokens is { } max) tokensLeft = Math.Min(tokensLeft, max - position.Tokens);
        TimeSpan? remaining = rate > 0 ? TimeSpan.FromSeconds(Math.Max(0, tokensLeft) / rate) : null;
        if (_options.MaxDuration is { } d && remaining is { } r && d - elapsed < r) remaining = d - elapsed < TimeSpan.Zero ? TimeSpan.Zero : d - elapsed;
        _options.Progress.Report(new TrainingProgress(epoch, _optimizer.StepCount, fraction, (float)smoothed, rate, elapsed, remaining,
            _optimizer.LearningRate, validation) { StepLoss = stepLoss });
    }

    /// <summary>The validation loss and metric, with dropout off; null when there is nothing to validate on.</summary>
    private EpochResult? Validate(ITrainingTask task, int epoch, double fraction, float trainLoss, Position position)
    {
        bool training = _model.Training;
        _model.Training = false;
        Validation? v;
        try
        {
            v = Leads ? task.Validate() : null;
        }
        finally
        {
            _model.Training = training;
        }
        if (_communicator is not null) v = ShareValidation(task, v);
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
}
