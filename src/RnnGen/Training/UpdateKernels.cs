using System.Runtime.Intrinsics;

namespace RnnGen.Training;

/// <summary>
/// The fused elementwise loops behind the optimisers and gradient clipping. Each loop reads and writes
/// every buffer once per step (the update is memory-bound, so one pass beats a chain of vector calls),
/// runs on the widest native vector and finishes the tail one lane at a time with the same arithmetic.
/// </summary>
internal static class UpdateKernels
{
    /// <summary>Constants of one Adam/AdamW update, computed once per step in double as PyTorch does.</summary>
    internal readonly record struct AdamConstants(
        float Beta1Complement, float Beta2, float Beta2Complement, float StepSize,
        float BiasCorrection2Sqrt, float Epsilon, float L2Decay, float DecoupledFactor);

    /// <summary>Constants of one SGD update.</summary>
    internal readonly record struct SgdConstants(
        float LearningRate, float Momentum, float DampeningComplement, float WeightDecay, bool Nesterov);

    public static void Adam(Span<float> value, ReadOnlySpan<float> gradient, Span<float> mean, Span<float> meanSquare, in AdamConstants c)
    {
        CheckLengths(value.Length, gradient.Length, mean.Length, meanSquare.Length);
        int i = 0;
        if (Vector512.IsHardwareAccelerated) i = AdamLoop<Lanes512>(value, gradient, mean, meanSquare, c, i);
        else if (Vector256.IsHardwareAccelerated) i = AdamLoop<Lanes256>(value, gradient, mean, meanSquare, c, i);
        AdamLoop<ScalarLane>(value, gradient, mean, meanSquare, c, i);
    }

    // torch.optim.Adam / AdamW, single-tensor path:
    //   p *= 1 - lr*wd_decoupled;  g += wd_l2 * p;  m = m + (1-b1)(g - m);  v = b2 v + (1-b2) g g;
    //   p += -(lr / bc1) * m / (sqrt(v) / sqrt(bc2) + eps)
    private static int AdamLoop<TL>(Span<float> value, ReadOnlySpan<float> gradient, Span<float> mean, Span<float> meanSquare, in AdamConstants c, int i)
        where TL : struct, IFloatLanes<TL>
    {
        TL b1c = TL.Splat(c.Beta1Complement), b2 = TL.Splat(c.Beta2), b2c = TL.Splat(c.Beta2Complement);
        TL negStep = TL.Splat(-c.StepSize), bc2 = TL.Splat(c.BiasCorrection2Sqrt), eps = TL.Splat(c.Epsilon);
        TL l2 = TL.Splat(c.L2Decay), keep = TL.Splat(c.DecoupledFactor);
        bool decoupled = c.DecoupledFactor != 1f, coupled = c.L2Decay != 0f;
        int last = value.Length - TL.Count;
        for (; i <= last; i += TL.Count)
        {
            TL p = TL.Load(value, i);
            TL g = TL.Load(gradient, i);
            if (decoupled) p = p * keep;
            if (coupled) g = g + l2 * p;
            TL m = TL.Load(mean, i);
            m = m + b1c * (g - m);
            TL v = TL.Load(meanSquare, i) * b2 + b2c * g * g;
            TL denominator = TL.Sqrt(v) / bc2 + eps;
            TL.Store(mean, i, m);
            TL.Store(meanSquare, i, v);
            TL.Store(value, i, p + negStep * (m / denominator));
        }
        return i;
    }

    public static void Sgd(Span<float> value, ReadOnlySpan<float> gradient, Span<float> velocity, bool firstStep, in SgdConstants c)
    {
        CheckLengths(value.Length, gradient.Length, velocity.Length, velocity.Length);
        int i = 0;
        if (Vector512.IsHardwareAccelerated) i = SgdLoop<Lanes512>(value, gradient, velocity, firstStep, c, i);
        else if (Vector256.IsHardwareAccelerated) i = SgdLoop<Lanes256>(value, gradient, velocity, firstStep, c, i);
        SgdLoop<ScalarLane>(value, gradient, velocity, firstStep, c, i);
    }

    // torch.optim.SGD: g += wd p; b = first ? g : momentum b + (1 - dampening) g;
    //   g = nesterov ? g + momentum b : b;  p += -lr g.  Without momentum, velocity is empty and unused.
    private static int SgdLoop<TL>(Span<float> value, ReadOnlySpan<float> gradient, Span<float> velocity, bool firstStep, in SgdConstants c, int i)
        where TL : struct, IFloatLanes<TL>
    {
        TL negLr = TL.Splat(-c.LearningRate), mu = TL.Splat(c.Momentum), damp = TL.Splat(c.DampeningComplement), wd = TL.Splat(c.WeightDecay);
        bool decay = c.WeightDecay != 0f, momentum = c.Momentum != 0f, nesterov = c.Nesterov;
        int last = value.Length - TL.Count;
        for (; i <= last; i += TL.Count)
        {
            TL p = TL.Load(value, i);
            TL g = TL.Load(gradient, i);
            if (decay) g = g + wd * p;
            if (momentum)
            {
                TL b = firstStep ? g : TL.Load(velocity, i) * mu + g * damp;
                TL.Store(velocity, i, b);
                g = nesterov ? g + mu * b : b;
            }
            TL.Store(value, i, p + g * negLr);
        }
        return i;
    }

    /// <summary>The sum of the squares of <paramref name="values"/>, accumulated in double.</summary>
    public static double SumOfSquares(ReadOnlySpan<float> values)
    {
        int i = 0;
        double sum = 0;
        if (Vector512.IsHardwareAccelerated) sum += SumOfSquaresLoop<Lanes512>(values, ref i);
        else if (Vector256.IsHardwareAccelerated) sum += SumOfSquaresLoop<Lanes256>(values, ref i);
        sum += SumOfSquaresLoop<ScalarLane>(values, ref i);
        return sum;
    }

    private static double SumOfSquaresLoop<TL>(ReadOnlySpan<float> values, ref int i)
        where TL : struct, IFloatLanes<TL>
    {
        double sum = 0;
        int last = values.Length - TL.Count;
        for (; i <= last; i += TL.Count)
            sum += TL.SumOfSquares(TL.Load(values, i));
        return sum;
    }

    private static void CheckLengths(int value, int gradient, int a, int b)
    {
        if (gradient != value || a != value || b != value)
            throw new ArgumentException("The value, gradient and state buffers of a parameter must have the same length.");
    }
}
