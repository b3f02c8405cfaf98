namespace RnnGen.Training;

/// <summary>
/// Linear warm-up followed by cosine decay. Step <c>s &lt; warmupSteps</c> gets
/// <c>peak * (s + 1) / warmupSteps</c>, so the first step already learns and the last warm-up step reaches the
/// peak; then the rate follows half a cosine from the peak down to <c>minLearningRate</c> at step
/// <c>totalSteps</c>, and stays there after it.
/// </summary>
public sealed class CosineSchedule : ILearningRateSchedule
{
    public CosineSchedule(float peakLearningRate, long totalSteps, long warmupSteps = 0, float minLearningRate = 0f)
    {
        if (!float.IsFinite(peakLearningRate) || peakLearningRate < 0)
            throw new ArgumentOutOfRangeException(nameof(peakLearningRate), peakLearningRate, "The peak learning rate must be finite and not negative.");
        if (!float.IsFinite(minLearningRate) || minLearningRate < 0 || minLearningRate > peakLearningRate)
            throw new ArgumentOutOfRangeException(nameof(minLearningRate), minLearningRate, "The minimum learning rate must lie between 0 and the peak.");
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        if (totalSteps <= warmupSteps)
            throw new ArgumentOutOfRangeException(nameof(totalSteps), totalSteps, "The total number of steps must exceed the warm-up steps.");
        PeakLearningRate = peakLearningRate;
        MinLearningRate = minLearningRate;
        WarmupSteps = warmupSteps;
        TotalSteps = totalSteps;
    }

    public float PeakLearningRate { get; }
    public float MinLearningRate { get; }
    public long WarmupSteps { get; }
    public long TotalSteps { get; }

    public float LearningRateAt(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        if (step < WarmupSteps)
            return (float)((double)PeakLearningRate * (step + 1) / WarmupSteps);
        if (step >= TotalSteps)
            return MinLearningRate;
        double progress = (double)(step - WarmupSteps) / (TotalSteps - WarmupSteps);
        return (float)(MinLearningRate + (PeakLearningRate - (double)MinLearningRate) * 0.5 * (1 + Math.Cos(Math.PI * progress)));
    }
}
