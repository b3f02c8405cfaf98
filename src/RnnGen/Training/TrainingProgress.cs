namespace RnnGen.Training;

/// <summary>A snapshot of training, reported through <see cref="TrainingOptions.Progress"/>.</summary>
public sealed record TrainingProgress(
    int Epoch,                 // from 1
    long Step,                 // optimiser steps so far
    double EpochFraction,      // how far through the current epoch
    float Loss,                // training loss, smoothed over recent windows
    double TokensPerSecond,
    TimeSpan Elapsed,
    TimeSpan? Remaining,       // estimated, when a budget or epoch count bounds the run
    float LearningRate,
    EpochResult? Validation)   // set when this report follows a validation
{
    /// <summary>The loss of the last step's batch alone (its whole global batch in data-parallel training), unsmoothed.</summary>
    public float StepLoss { get; init; } = float.NaN;
}

/// <summary>
/// What one validation measured: the loss, and the metric that fits the task (<see cref="MetricName"/>:
/// "perplexity" for language models, "accuracy" for classifiers and taggers, "rmse" for regressors).
/// Perplexity is exp(loss); bits per token is loss / ln 2.
/// </summary>
public sealed record EpochResult(int Epoch, long Step, double EpochFraction, float TrainLoss, float ValidationLoss, long Tokens, TimeSpan Elapsed, float LearningRate)
{
    public string MetricName { get; init; } = "perplexity";
    public double Metric { get; init; } = double.NaN;

    public double Perplexity => Math.Exp(ValidationLoss);
    public double BitsPerToken => ValidationLoss / Math.Log(2);
}

/// <summary>Every validation of a run, in order, and why it stopped.</summary>
public sealed record TrainingHistory(IReadOnlyList<EpochResult> Results, string StopReason)
{
    /// <summary>
    /// For a resumed run, the best validation of the sessions before it, as its checkpoint recorded it (null for a
    /// fresh run, or a checkpoint that does not record it).
    /// </summary>
    public EpochResult? ResumedBest { get; init; }

    /// <summary>
    /// The lowest validation loss of the whole run, the sessions a resumed run continues included: the one the best
    /// checkpoint holds (an earlier one wins a tie, as the trainer only keeps strict improvements).
    /// </summary>
    public EpochResult? Best
    {
        get
        {
            var here = Results.Count == 0 ? null : Results.MinBy(r => r.ValidationLoss);
            if (ResumedBest is not { } before) return here;
            return here is not null && here.ValidationLoss < before.ValidationLoss ? here : before;
        }
    }
}
