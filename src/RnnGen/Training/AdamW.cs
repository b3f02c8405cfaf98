namespace RnnGen.Training;

/// <summary>
/// AdamW, exactly as <c>torch.optim.AdamW</c>: Adam whose weight decay is decoupled from the gradient,
/// shrinking each weight by <c>1 - learningRate * weightDecay</c> before the Adam update (default decay 0.01).
/// </summary>
public sealed class AdamW : Adam
{
    public AdamW(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f, float weightDecay = 0.01f)
        : base(learningRate, beta1, beta2, epsilon, weightDecay)
    {
    }

    private protected override bool DecoupledDecay => true;
}
