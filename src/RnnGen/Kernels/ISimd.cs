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

    static abstract TSelf Sigmoid(TSelf a);
    static abstract TSelf Tanh(TSelf a);
    static abstract TSelf Relu(TSelf a);
    static abstract TSelf Exp(TSelf a);
    /// <summary>1 where the lane is positive, else 0: the derivative of Relu read off its output.</summary>
    static abstract TSelf Positive(TSelf a);
    /// <summary>The sum of the lanes.</summary>
    static abstract T Sum(TSelf a);
}
