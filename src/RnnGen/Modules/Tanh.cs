using System.Numerics;

namespace RnnGen.Modules;

/// <summary>tanh applied in place; backward reads the output it left. No parameters.</summary>
public sealed class Tanh<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    // forward: y = tanh(x)                               x [n], in place -> y
    public Span<T> Forward(Span<T> x)
    {
        for (int i = 0; i < x.Length; i++) x[i] = T.Tanh(x[i]);
        return x;
    }

    // backward: dx = dy ⊙ (1 − y²)                       dy [n], in place -> dx
    public Span<T> Backward(ReadOnlySpan<T> y, Span<T> dy)
    {
        for (int i = 0; i < dy.Length; i++) dy[i] *= T.One - y[i] * y[i];
        return dy;
    }
}
