namespace RnnGen.Training;

/// <summary>
/// Training went wrong beyond repair: the loss became NaN or infinite, a gradient did, or the loss rose far above
/// that of a uniform prediction (see <see cref="Trainer"/> for the rule). No checkpoint is written from that state;
/// the last good one written before it is left untouched and named here.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    public TrainingDivergedException(long step, int epoch, float loss, string? lastGoodCheckpoint)
        : this(step, epoch, loss, lastGoodCheckpoint, $"the loss is {loss}")
    {
    }

    public TrainingDivergedException(long step, int epoch, float loss, string? lastGoodCheckpoint, string reason)
        : base($"Training diverged at step {step} (epoch {epoch}): {reason}. " +
               (lastGoodCheckpoint is null ? "No checkpoint was written." : $"The last good checkpoint is '{lastGoodCheckpoint}'.") +
               " Try a lower learning rate or stronger gradient clipping.")
    {
        Step = step;
        Epoch = epoch;
        Loss = loss;
        LastGoodCheckpoint = lastGoodCheckpoint;
    }

    public long Step { get; }
    public int Epoch { get; }
    /// <summary>The loss at that step (a finite one when the gradient or the size of the loss gave divergence away).</summary>
    public float Loss { get; }
    public string? LastGoodCheckpoint { get; }
}
