namespace RnnGen.Training;

/// <summary>
/// Adam, exactly as <c>torch.optim.Adam</c> (without amsgrad): moment estimates with bias correction,
/// epsilon added after the square root of the corrected second moment, and optional L2 weight decay
/// added to the gradient (coupled, unlike <see cref="AdamW"/>).
/// </summary>
public class Adam : Optimizer
{
    private static readonly string[] Slots = ["exp_avg", "exp_avg_sq"];

    public Adam(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0f)
        : base(learningRate)
    {
        CheckBeta(beta1, nameof(beta1));
        CheckBeta(beta2, nameof(beta2));
        if (!float.IsFinite(epsilon) || epsilon < 0) throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Epsilon must be finite and not negative.");
        if (!float.IsFinite(weightDecay) || weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be finite and not negative.");
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        WeightDecay = weightDecay;
    }

    public float Beta1 { get; }
    public float Beta2 { get; }
    public float Epsilon { get; }
    public float WeightDecay { get; }

    protected override IReadOnlyList<string> SlotNames => Slots;

    /// <summary>True for AdamW: the decay shrinks the weights directly instead of joining the gradient.</summary>
    private protected virtual bool DecoupledDecay => false;

    protected override void Update(Parameter parameter, float[][] slots, bool firstStep, long step)
    {
        // PyTorch computes the scalar factors in double and applies them to float tensors.
        double biasCorrection1 = 1 - Math.Pow(Beta1, step);
        double biasCorrection2 = 1 - Math.Pow(Beta2, step);
        var constants = new UpdateKernels.AdamConstants(
            Beta1Complement: (float)(1 - (double)Beta1),
            Beta2: Beta2,
            Beta2Complement: (float)(1 - (double)Beta2),
            StepSize: (float)(LearningRate / biasCorrection1),
            BiasCorrection2Sqrt: (float)Math.Sqrt(biasCorrection2),
            Epsilon: Epsilon,
            L2Decay: DecoupledDecay ? 0f : WeightDecay,
            DecoupledFactor: DecoupledDecay ? (float)(1 - (double)LearningRate * WeightDecay) : 1f);
        UpdateKernels.Adam(parameter.Value, parameter.Gradient, slots[0], slots[1], constants);
    }

    private static void CheckBeta(float beta, string name)
    {
        if (!(beta >= 0 && beta < 1)) throw new ArgumentOutOfRangeException(name, beta, "A beta must lie in [0, 1).");
    }
}
