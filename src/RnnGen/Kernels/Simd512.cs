using System.ComponentModel;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>A 512-bit vector of float or double (AVX-512).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Simd512<T>(Vector512<T> value) : ISimd<Simd512<T>, T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public readonly Vector512<T> Value = value;

    public static int Count => Vector512<T>.Count;
    public static Simd512<T> Zero => default;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Constant(double value) => new(Vector512.Create(T.CreateTruncating(value)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Splat(T value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Load(ReadOnlySpan<T> source, int index)
    {
        Debug.Assert((uint)index + (uint)Count <= (uint)source.Length);
        return new(Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(source), (nuint)index));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Span<T> destination, int index, Simd512<T> value)
    {
        Debug.Assert((uint)index + (uint)Count <= (uint)destination.Length);
        value.Value.StoreUnsafe(ref MemoryMarshal.GetReference(destination), (nuint)index);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(Span<T> destination, int index, Simd512<T> value)
    {
        Debug.Assert((uint)index + (uint)Count <= (uint)destination.Length);
        ref T start = ref MemoryMarshal.GetReference(destination);
        (Vector512.LoadUnsafe(ref start, (nuint)index) + value.Value).StoreUnsafe(ref start, (nuint)index);
    }

    // Every operation is forced inline, the one-line ones too: a generated segment inlined into the driver's pass can
    // use up the JIT's inlining budget, which left these as calls in the hot loop (a profile of the LSTM backward).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> operator +(Simd512<T> a, Simd512<T> b) => new(a.Value + b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> operator -(Simd512<T> a, Simd512<T> b) => new(a.Value - b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> operator *(Simd512<T> a, Simd512<T> b) => new(a.Value * b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> operator -(Simd512<T> a) => new(-a.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> operator /(Simd512<T> a, Simd512<T> b) => new(a.Value / b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Exp(Simd512<T> a)
    {
        if (typeof(T) == typeof(float)) return new(FastExp.Exp(a.Value.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector512.Exp(a.Value.AsDouble()).As<double, T>());
        throw new NotSupportedException();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Sigmoid(Simd512<T> a) =>
        new(Vector512<T>.One / (Vector512<T>.One + Exp(-a).Value));

    // tanh(a) = 1 - 2 / (exp(2a) + 1): saturates cleanly to ±1 when exp overflows to infinity or underflows to 0.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Tanh(Simd512<T> a)
    {
        var two = Vector512.Create(T.CreateTruncating(2));
        return new(Vector512<T>.One - two / (Exp(new(a.Value + a.Value)).Value + Vector512<T>.One));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Relu(Simd512<T> a) => new(Vector512.Max(a.Value, Vector512<T>.Zero));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Positive(Simd512<T> a) =>
        new(Vector512.ConditionalSelect(Vector512.GreaterThan(a.Value, Vector512<T>.Zero), Vector512<T>.One, Vector512<T>.Zero));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Max(Simd512<T> a, Simd512<T> b) => new(Vector512.Max(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Min(Simd512<T> a, Simd512<T> b) => new(Vector512.Min(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Abs(Simd512<T> a) => new(Vector512.Abs(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Sqrt(Simd512<T> a) => new(Vector512.Sqrt(a.Value));

    // The library's vector log is single precision for float since .NET 9 (within 2 ulp, subnormals and the
    // special values handled), so unlike exp it needs no replacement of our own.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Log(Simd512<T> a)
    {
        if (typeof(T) == typeof(float)) return new(Vector512.Log(a.Value.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector512.Log(a.Value.AsDouble()).As<double, T>());
        throw new NotSupportedException();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Softplus(Simd512<T> a) =>
        new(Log1pOfUnit(Exp(new(-Vector512.Abs(a.Value))).Value) + Vector512.Max(a.Value, Vector512<T>.Zero));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> LogSigmoid(Simd512<T> a) =>
        new(Vector512.Min(a.Value, Vector512<T>.Zero) - Log1pOfUnit(Exp(new(-Vector512.Abs(a.Value))).Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Reciprocal(Simd512<T> a) => new(Vector512<T>.One / a.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> GreaterOrEqual(Simd512<T> a, Simd512<T> b) =>
        new(Vector512.ConditionalSelect(Vector512.GreaterThanOrEqual(a.Value, b.Value), Vector512<T>.One, Vector512<T>.Zero));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd512<T> Sign(Simd512<T> a) =>
        new(Vector512.ConditionalSelect(Vector512.GreaterThan(a.Value, Vector512<T>.Zero), Vector512<T>.One, Vector512<T>.Zero)
            - Vector512.ConditionalSelect(Vector512.LessThan(a.Value, Vector512<T>.Zero), Vector512<T>.One, Vector512<T>.Zero));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Simd512<T> a) => Vector512.Sum(a.Value);

    /// <summary>
    /// log(1 + e) for e in [0, 1] without a vector log1p: log(u) · e / (u - 1) with u = 1 + e. The factor
    /// e / (u - 1) cancels the rounding of u, so a tiny e keeps its digits; where u rounds to 1 the result is e.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<T> Log1pOfUnit(Vector512<T> e)
    {
        var u = Vector512<T>.One + e;
        var d = u - Vector512<T>.One;
        return Vector512.ConditionalSelect(Vector512.Equals(d, Vector512<T>.Zero), e, Log(new(u)).Value * (e / d));
    }
}
