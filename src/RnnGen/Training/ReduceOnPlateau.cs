namespace RnnGen.Training;

/// <summary>
/// Lowers the learning rate when the validation loss stops improving, as
/// <c>torch.optim.lr_scheduler.ReduceLROnPlateau</c> in mode "min" with a relative threshold: a loss counts
/// as an improvement when it is below <c>best * (1 - threshold)</c>; after more than <c>patience</c>
/// reports without improvement the rate is multiplied by <c>factor</c> (never below the minimum), and the
/// count starts again. Unlike the step-based schedules it is driven by <see cref="Report"/>, once per evaluation.
/// </summary>
public sealed class ReduceOnPlateau
{
    public ReduceOnPlateau(float learningRate, float factor = 0.1f, int patience = 10, float minLearningRate = 0f, float threshold = 1e-4f)
    {
        if (!float.IsFinite(learningRate) || learningRate < 0)
            throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be finite and not negative.");
        if (!(factor > 0 && factor < 1))
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The factor must lie strictly between 0 and 1.");
        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        if (!float.IsFinite(minLearningRate) || minLearningRate < 0)
            throw new ArgumentOutOfRangeException(nameof(minLearningRate), minLearningRate, "The minimum learning rate must be finite and not negative.");
        if (!float.IsFinite(threshold) || threshold < 0 || threshold >= 1)
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must lie in [0, 1).");
        LearningRate = learningRate;
        Factor = factor;
        Patience = patience;
        MinLearningRate = minLearningRate;
        Threshold = threshold;
    }

    /// <summary>The current learning rate.</summary>
    public float LearningRate { get; private set; }
    public float Factor { get; }
    public int Patience { get; }
    public float MinLearningRate { get; }
    public float Threshold { get; }
    /// <summary>The lowest loss reported so far (positive infinity before the first report).</summary>
    public float BestLoss { get; private set; } = float.PositiveInfinity;
    /// <summary>Reports since the last improvement or reduction.</summary>
    public int BadReports { get; private set; }

    /// <summary>What a checkpoint must carry for a resumed run to follow the same rates: the rate, the best loss, the count.</summary>
    public PlateauState State => new(LearningRate, BestLoss, BadReports);

    /// <summary>Continues from a saved <see cref="State"/> (a resumed run).</summary>
    public void Restore(PlateauState state)
    {
        if (!float.IsFinite(state.LearningRate) || state.LearningRate < 0 || float.IsNaN(state.BestLoss) || state.BadReports < 0)
            throw new ArgumentOutOfRangeException(nameof(state), state, "The plateau state is not one a ReduceOnPlateau can be in.");
        LearningRate = state.LearningRate;
        BestLoss = state.BestLoss;
        BadReports = state.BadReports;
    }

    /// <summary>Takes one validation loss and returns the learning rate to use from now on.</summary>
    public float Report(float validationLoss)
    {
        // NaN never improves, so a diverging run is slowed down rather than rewarded.
        if (validationLoss < BestLoss * (1 - (double)Threshold))
        {
            BestLoss = validationLoss;
            BadReports = 0;
        }
        else
        {
            BadReports++;
        }
        if (BadReports > Patience)
        {
            LearningRate = Math.Max(LearningRate * Factor, MinLearningRate);
            BadReports = 0;
        }
        return LearningRate;
    }
}
