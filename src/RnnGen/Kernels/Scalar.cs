using System.ComponentModel;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace RnnGen.Kernels;

/// <summary>One element: the tail of a row that does not fill a vector, and the path for machines without SIMD.</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Scalar<T>(T value) : ISimd<Scalar<T>, T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public readonly T Value = value;

    public static int Count => 1;
    public static Scalar<T> Zero => default;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Constant(double value) => new(T.CreateTruncating(value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Splat(T value) => new(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Load(ReadOnlySpan<T> source, int index) => new(source[index]);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Span<T> destination, int index, Scalar<T> value) => destination[index] = value.Value;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(Span<T> destination, int index, Scalar<T> value) => destination[index] += value.Value;

    // Every operation is forced inline, the one-line ones too: a generated segment inlined into the driver's pass can
    // use up the JIT's inlining budget, which left these as calls in the hot loop (a profile of the LSTM backward).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> operator +(Scalar<T> a, Scalar<T> b) => new(a.Value + b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> operator -(Scalar<T> a, Scalar<T> b) => new(a.Value - b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> operator *(Scalar<T> a, Scalar<T> b) => new(a.Value * b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> operator -(Scalar<T> a) => new(-a.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> operator /(Scalar<T> a, Scalar<T> b) => new(a.Value / b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Exp(Scalar<T> a) => new(T.Exp(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Sigmoid(Scalar<T> a) => new(T.One / (T.One + T.Exp(-a.Value)));
    // Same formula as the vector paths, so a row's tail rounds like its body.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Tanh(Scalar<T> a)
    {
        var two = T.CreateTruncating(2);
        return new(T.One - two / (T.Exp(a.Value + a.Value) + T.One));
    }
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Relu(Scalar<T> a) => new(T.Max(a.Value, T.Zero));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Positive(Scalar<T> a) => new(a.Value > T.Zero ? T.One : T.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Max(Scalar<T> a, Scalar<T> b) => new(T.Max(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Min(Scalar<T> a, Scalar<T> b) => new(T.Min(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Abs(Scalar<T> a) => new(T.Abs(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Sqrt(Scalar<T> a) => new(T.Sqrt(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Log(Scalar<T> a) => new(T.Log(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Softplus(Scalar<T> a) => new(Log1pOfUnit(T.Exp(-T.Abs(a.Value))) + T.Max(a.Value, T.Zero));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> LogSigmoid(Scalar<T> a) => new(T.Min(a.Value, T.Zero) - Log1pOfUnit(T.Exp(-T.Abs(a.Value))));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Reciprocal(Scalar<T> a) => new(T.One / a.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> GreaterOrEqual(Scalar<T> a, Scalar<T> b) => new(a.Value >= b.Value ? T.One : T.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Scalar<T> Sign(Scalar<T> a) => new(a.Value > T.Zero ? T.One : a.Value < T.Zero ? -T.One : T.Zero);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Scalar<T> a) => a.Value;

    /// <summary>
    /// log(1 + e) for e in [0, 1], as the vector paths compute it: log(u) · e / (u - 1) with u = 1 + e, which
    /// cancels the rounding of u (T.LogP1 is log(1 + e) as written, which loses a tiny e entirely).
    /// </summary>
    private static T Log1pOfUnit(T e)
    {
        T u = T.One + e;
        T d = u - T.One;
        return d == T.Zero ? e : T.Log(u) * (e / d);
    }
}
