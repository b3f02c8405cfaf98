namespace RnnGen.Training;

/// <summary>The loss became NaN or infinite. The best checkpoint written before it is left untouched.</summary>
public sealed class TrainingDivergedException(long step, int epoch, float loss, string? lastGoodCheckpoint)
    : Exception($"Training diverged at step {step} (epoch {epoch}): the loss is {loss}. " +
                (lastGoodCheckpoint is null ? "No checkpoint was written." : $"The last good checkpoint is '{lastGoodCheckpoint}'.") +
                " Try a lower learning rate or stronger gradient clipping.")
{
    public long Step { get; } = step;
    public int Epoch { get; } = epoch;
    public float Loss { get; } = loss;
    public string? LastGoodCheckpoint { get; } = lastGoodCheckpoint;
}
