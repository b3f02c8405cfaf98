using System.ComponentModel;
using System.Numerics;

namespace RnnGen.Kernels;

/// <summary>
/// One vector register's worth of <typeparamref name="T"/>, as seen by generated cell code. Generated
/// elementwise passes are written once against this interface and instantiated for the widest
/// hardware vector and for a scalar tail, so the JIT emits straight-line SIMD code for each.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface ISimd<TSelf, T>
    where TSelf : struct, ISimd<TSelf, T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Lanes per vector.</summary>
    static abstract int Count { get; }
    static abstract TSelf Zero { get; }
    static abstract TSelf Constant(double value);
    /// <summary>Every lane set to <paramref name="value"/>.</summary>
    static abstract TSelf Splat(T value);
    /// <summary>Loads <see cref="Count"/> elements at <paramref name="index"/>; the caller guarantees the range.</summary>
    static abstract TSelf Load(ReadOnlySpan<T> source, int index);
    static abstract void Store(Span<T> destination, int index, TSelf value);
    /// <summary>destination[index..] += value.</summary>
    static abstract void AddTo(Span<T> destination, int index, TSelf value);

    static abstract TSelf operator +(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf a, TSelf b);
    static abstract TSelf operator *(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf a);
    /// <summary>Exact IEEE division, lane by lane (no reciprocal approximation).</summary>
    static abstract TSelf operator /(TSelf a, TSelf b);

    static abstract TSelf Sigmoid(TSelf a);
    static abstract TSelf Tanh(TSelf a);
    static abstract TSelf Relu(TSelf a);
    static abstract TSelf Exp(TSelf a);
    /// <summary>1 where the lane is positive, else 0: the derivative of Relu read off its output.</summary>
    static abstract TSelf Positive(TSelf a);
    /// <summary>The larger of each pair of lanes; NaN if either is NaN, and +0 above -0 (as <see cref="Math.Max(double, double)"/>).</summary>
    static abstract TSelf Max(TSelf a, TSelf b);
    /// <summary>The smaller of each pair of lanes; NaN if either is NaN, and -0 below +0 (as <see cref="Math.Min(double, double)"/>).</summary>
    static abstract TSelf Min(TSelf a, TSelf b);
    static abstract TSelf Abs(TSelf a);
    /// <summary>Correctly rounded square root; NaN below zero.</summary>
    static abstract TSelf Sqrt(TSelf a);
    /// <summary>Natural logarithm: -∞ at ±0, NaN below zero, +∞ at +∞.</summary>
    static abstract TSelf Log(TSelf a);
    /// <summary>
    /// log(1 + e^a), written log1p(e^-|a|) + max(a, 0) so that it neither overflows for large a nor loses
    /// the tiny result for very negative a. Its derivative is <see cref="Sigmoid"/>.
    /// </summary>
    static abstract TSelf Softplus(TSelf a);
    /// <summary>log σ(a) = min(a, 0) - log1p(e^-|a|), stable at both ends. Its derivative is σ(-a).</summary>
    static abstract TSelf LogSigmoid(TSelf a);
    /// <summary>1 / a, exactly divided.</summary>
    static abstract TSelf Reciprocal(TSelf a);
    /// <summary>1 where a ≥ b, else 0 (also 0 when either is NaN): the mask that sends Max's gradient to its
    /// first operand on a tie; Min's first operand takes GreaterOrEqual(b, a).</summary>
    static abstract TSelf GreaterOrEqual(TSelf a, TSelf b);
    /// <summary>-1, 0 or 1 by the sign of a (0 at ±0 and at NaN): the derivative of Abs, 0 at the kink as in PyTorch.</summary>
    static abstract TSelf Sign(TSelf a);
    /// <summary>The sum of the lanes.</summary>
    static abstract T Sum(TSelf a);
}
