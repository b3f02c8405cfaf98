namespace RnnGen.Training;

/// <summary>The same learning rate at every step.</summary>
public sealed class ConstantSchedule : ILearningRateSchedule
{
    public ConstantSchedule(float learningRate)
    {
        if (!float.IsFinite(learningRate) || learningRate < 0)
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be finite and not negative.");
        LearningRate = learningRate;
    }

    public float LearningRate { get; }

    public float LearningRateAt(long step)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(step);
        return LearningRate;
    }
}
