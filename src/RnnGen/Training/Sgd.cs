namespace RnnGen.Training;

/// <summary>
/// Stochastic gradient descent, exactly as <c>torch.optim.SGD</c>: optional L2 weight decay added to the
/// gradient, optional momentum (the buffer starts as the first gradient) with dampening, and Nesterov momentum.
/// </summary>
public sealed class Sgd : Optimizer
{
    private static readonly string[] MomentumSlots = ["momentum_buffer"];

    public Sgd(float learningRate, float momentum = 0f, float dampening = 0f, float weightDecay = 0f, bool nesterov = false)
        : base(learningRate)
    {
        if (!float.IsFinite(momentum) || momentum < 0) throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Momentum must be finite and not negative.");
        if (!float.IsFinite(dampening) || dampening < 0 || dampening > 1) throw new ArgumentOutOfRangeException(nameof(dampening), dampening, "Dampening must lie in [0, 1].");
        if (!float.IsFinite(weightDecay) || weightDecay < 0) throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "Weight decay must be finite and not negative.");
        // PyTorch's rule: Nesterov momentum is only defined with momentum and without dampening.
        if (nesterov && (momentum == 0 || dampening != 0))
            throw new ArgumentException("Nesterov momentum needs a positive momentum and zero dampening.", nameof(nesterov));
        Momentum = momentum;
        Dampening = dampening;
        WeightDecay = weightDecay;
        Nesterov = nesterov;
    }

    public float Momentum { get; }
    public float Dampening { get; }
    public float WeightDecay { get; }
    public bool Nesterov { get; }

    protected override IReadOnlyList<string> SlotNames => Momentum == 0 ? [] : MomentumSlots;

    protected override void Update(Parameter parameter, float[][] slots, bool firstStep, long step)
    {
        var constants = new UpdateKernels.SgdConstants(LearningRate, Momentum, (float)(1 - (double)Dampening), WeightDecay, Nesterov);
        Span<float> velocity = slots.Length == 0 ? parameter.Value : slots[0];
        UpdateKernels.Sgd(parameter.Value, parameter.Gradient, velocity, firstStep, constants);
    }
}
