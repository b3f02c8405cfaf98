namespace RnnGen.Training;

/// <summary>
/// A learning rate as a function of the optimiser step. The training loop asks for the rate of step
/// <c>n</c> (counting from 0) and sets <see cref="Optimizer.LearningRate"/> before that step.
/// </summary>
public interface ILearningRateSchedule
{
    float LearningRateAt(long step);
}
