namespace RnnGen.Training;

/// <summary>How <see cref="Trainer"/> runs: window shape, budget, clipping, schedules, checkpoints.</summary>
public sealed record TrainingOptions
{
    /// <summary>Rows of the token stream read side by side, or sequences per batch.</summary>
    public int BatchSize { get; init; } = 32;
    /// <summary>Shuffles the sequences of a data set each epoch (the same seed, the same batches).</summary>
    public int Seed { get; init; }
    /// <summary>Tokens per window of a language model: the truncation length of backpropagation through time.</summary>
    public int Steps { get; init; } = 64;
    /// <summary>Passes over the training tokens (the budget below may end training sooner).</summary>
    public int Epochs { get; init; } = 10;
    /// <summary>Stop after this many training tokens, if set.</summary>
    public long? MaxTokens { get; init; }
    /// <summary>Stop after this much training time, if set (checked after every window).</summary>
    public TimeSpan? MaxDuration { get; init; }
    /// <summary>Global gradient-norm clipping; 0 or less turns it off.</summary>
    public float ClipNorm { get; init; } = 5f;
    /// <summary>Carry each row's state from one window to the next within an epoch (truncated BPTT).</summary>
    public bool CarryState { get; init; } = true;
    /// <summary>A per-step learning-rate schedule (constant if null).</summary>
    public ILearningRateSchedule? Schedule { get; init; }
    /// <summary>Lowers the learning rate when validation loss stops improving (fed every validation; its patience counts validations).</summary>
    public ReduceOnPlateau? Plateau { get; init; }
    /// <summary>Stop when validation loss has not improved for this many epochs, if set.</summary>
    public int? EarlyStoppingPatience { get; init; }
    /// <summary>Stop as soon as a validation's metric reaches this value, if set: for metrics where higher is better (accuracy, exact match).</summary>
    public double? StopAtMetric { get; init; }
    /// <summary>Validate this many times per epoch (at least once, at its end).</summary>
    public int ValidationsPerEpoch { get; init; } = 1;
    /// <summary>Where the best model so far (lowest validation loss) is written, with the optimiser's state.</summary>
    public string? CheckpointPath { get; init; }
    /// <summary>Where the latest state is written after each validation and when training stops early, for resuming.</summary>
    public string? LastCheckpointPath { get; init; }
    /// <summary>Resume from a checkpoint written by a trainer: parameters, optimiser state, epoch and window.</summary>
    public string? ResumeFrom { get; init; }
    /// <summary>Saved with checkpoints so that they can generate text on their own.</summary>
    public Vocabulary? Vocabulary { get; init; }
    /// <summary>Receives progress a few times a second and after every validation.</summary>
    public IProgress<TrainingProgress>? Progress { get; init; }
    /// <summary>
    /// Trains data-parallel over these processes (<see cref="Distributed.MpiCommunicator.World"/> under mpirun): every
    /// rank holds the whole model and trains its block of each batch, and the gradients are summed before each step.
    /// <see cref="BatchSize"/> stays the global batch, so N ranks train what one process would; rank 0 alone validates,
    /// writes checkpoints and reports progress. Null (the default) trains in this process alone.
    /// </summary>
    public Distributed.ICommunicator? Communicator { get; init; }
    /// <summary>How often to report progress.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromMilliseconds(250);
}
