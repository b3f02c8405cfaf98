namespace RnnGen.Training;

/// <summary>
/// The checks <see cref="Trainer"/>'s constructor makes of its options and optimiser, so that a value that would
/// train nothing, never stop or never validate fails at once, naming the option, instead of silently.
/// </summary>
internal static class TrainingOptionsValidation
{
    /// <summary>
    /// The smallest learning rate accepted. Adam moves a weight by about the rate per step; below 1e-12 that is under
    /// half a float ulp of any weight larger than about 1e-5, so the update rounds to nothing.
    /// </summary>
    public const float MinLearningRate = 1e-12f;

    public static void Check(TrainingOptions o, Optimizer optimizer)
    {
        Positive(o.BatchSize, nameof(o.BatchSize));
        Positive(o.Steps, nameof(o.Steps));
        Positive(o.Epochs, nameof(o.Epochs));
        Positive(o.ValidationsPerEpoch, nameof(o.ValidationsPerEpoch));
        if (o.MaxTokens is { } tokens && tokens <= 0)
            throw new ArgumentOutOfRangeException(nameof(o.MaxTokens), tokens, "MaxTokens must be positive (or null for no token budget).");
        if (o.MaxDuration is { } duration && duration <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(o.MaxDuration), duration, "MaxDuration must be positive (or null for no time budget).");
        if (!float.IsFinite(o.ClipNorm))
            throw new ArgumentOutOfRangeException(nameof(o.ClipNorm), o.ClipNorm, "ClipNorm must be a finite number (0 or less turns clipping off).");
        if (o.EarlyStoppingPatience is { } patience && patience <= 0)
            throw new ArgumentOutOfRangeException(nameof(o.EarlyStoppingPatience), patience, "EarlyStoppingPatience must be at least 1 epoch (or null for no early stopping).");
        if (o.StopAtMetric is { } goal && !double.IsFinite(goal))
            throw new ArgumentOutOfRangeException(nameof(o.StopAtMetric), goal, "StopAtMetric must be a finite number (or null).");
        if (o.ProgressInterval < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(o.ProgressInterval), o.ProgressInterval, "ProgressInterval must not be negative.");
        if (o.CheckpointPath is not null && o.LastCheckpointPath is not null
            && Path.GetFullPath(o.CheckpointPath) == Path.GetFullPath(o.LastCheckpointPath))
            throw new ArgumentException($"CheckpointPath and LastCheckpointPath are the same file ('{o.CheckpointPath}'): the latest state would overwrite the best.", nameof(o.LastCheckpointPath));

        if (o.Communicator is { } c)
        {
            if (c.Size < 1 || c.Rank < 0 || c.Rank >= c.Size)
                throw new ArgumentException($"The communicator says rank {c.Rank} of {c.Size}, which is no rank.", nameof(o.Communicator));
            if (o.BatchSize < c.Size)
                throw new ArgumentOutOfRangeException(nameof(o.BatchSize), o.BatchSize,
                    $"BatchSize is the global batch, split over the {c.Size} ranks: it must be at least {c.Size}, one row per rank.");
        }

        // The rate that will be used: the schedule's when there is one, else the optimiser's; a plateau starts from its own.
        if (o.Schedule is CosineSchedule cosine) Rate(cosine.PeakLearningRate, nameof(o.Schedule), "Schedule's peak learning rate");
        else if (o.Schedule is not null) Finite(o.Schedule.LearningRateAt(0), nameof(o.Schedule), "Schedule's learning rate at step 0");
        else Rate(optimizer.LearningRate, nameof(Optimizer.LearningRate), "The optimizer's LearningRate");
        if (o.Plateau is not null) Rate(o.Plateau.LearningRate, nameof(o.Plateau), "Plateau's learning rate");
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0) throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive.");
    }

    private static void Rate(float rate, string option, string what)
    {
        if (!float.IsFinite(rate) || !(rate >= MinLearningRate))
            throw new ArgumentOutOfRangeException(option, rate,
                $"{what} must be finite and at least {MinLearningRate:0e0}: a smaller rate rounds to no update in float, so nothing would train.");
    }

    private static void Finite(float rate, string option, string what)
    {
        if (!float.IsFinite(rate) || rate < 0)
            throw new ArgumentOutOfRangeException(option, rate, $"{what} must be finite and not negative.");
    }
}
