using System.ComponentModel;
using System.Diagnostics;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>A 256-bit vector of float or double (AVX2).</summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct Simd256<T>(Vector256<T> value) : ISimd<Simd256<T>, T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public readonly Vector256<T> Value = value;

    public static int Count => Vector256<T>.Count;
    public static Simd256<T> Zero => default;
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Constant(double value) => new(Vector256.Create(T.CreateTruncating(value)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Splat(T value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Load(ReadOnlySpan<T> source, int index)
    {
        Debug.Assert((uint)index + (uint)Count <= (uint)source.Length);
        return new(Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(source), (nuint)index));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Span<T> destination, int index, Simd256<T> value)
    {
        Debug.Assert((uint)index + (uint)Count <= (uint)destination.Length);
        value.Value.StoreUnsafe(ref MemoryMarshal.GetReference(destination), (nuint)index);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void AddTo(Span<T> destination, int index, Simd256<T> value)
    {
        Debug.Assert((uint)index + (uint)Count <= (uint)destination.Length);
        ref T start = ref MemoryMarshal.GetReference(destination);
        (Vector256.LoadUnsafe(ref start, (nuint)index) + value.Value).StoreUnsafe(ref start, (nuint)index);
    }

    // Every operation is forced inline, the one-line ones too: a generated segment inlined into the driver's pass can
    // use up the JIT's inlining budget, which left these as calls in the hot loop (a profile of the LSTM backward).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> operator +(Simd256<T> a, Simd256<T> b) => new(a.Value + b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> operator -(Simd256<T> a, Simd256<T> b) => new(a.Value - b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> operator *(Simd256<T> a, Simd256<T> b) => new(a.Value * b.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> operator -(Simd256<T> a) => new(-a.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> operator /(Simd256<T> a, Simd256<T> b) => new(a.Value / b.Value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Exp(Simd256<T> a)
    {
        if (typeof(T) == typeof(float)) return new(FastExp.Exp(a.Value.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector256.Exp(a.Value.AsDouble()).As<double, T>());
        throw new NotSupportedException();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Sigmoid(Simd256<T> a) =>
        new(Vector256<T>.One / (Vector256<T>.One + Exp(-a).Value));

    // tanh(a) = 1 - 2 / (exp(2a) + 1): saturates cleanly to ±1 when exp overflows to infinity or underflows to 0.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Tanh(Simd256<T> a)
    {
        var two = Vector256.Create(T.CreateTruncating(2));
        return new(Vector256<T>.One - two / (Exp(new(a.Value + a.Value)).Value + Vector256<T>.One));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Relu(Simd256<T> a) => new(Vector256.Max(a.Value, Vector256<T>.Zero));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Positive(Simd256<T> a) =>
        new(Vector256.ConditionalSelect(Vector256.GreaterThan(a.Value, Vector256<T>.Zero), Vector256<T>.One, Vector256<T>.Zero));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Max(Simd256<T> a, Simd256<T> b) => new(Vector256.Max(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Min(Simd256<T> a, Simd256<T> b) => new(Vector256.Min(a.Value, b.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Abs(Simd256<T> a) => new(Vector256.Abs(a.Value));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Sqrt(Simd256<T> a) => new(Vector256.Sqrt(a.Value));

    // The library's vector log is single precision for float since .NET 9 (within 2 ulp, subnormals and the
    // special values handled), so unlike exp it needs no replacement of our own.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Log(Simd256<T> a)
    {
        if (typeof(T) == typeof(float)) return new(Vector256.Log(a.Value.AsSingle()).As<float, T>());
        if (typeof(T) == typeof(double)) return new(Vector256.Log(a.Value.AsDouble()).As<double, T>());
        throw new NotSupportedException();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Softplus(Simd256<T> a) =>
        new(Log1pOfUnit(Exp(new(-Vector256.Abs(a.Value))).Value) + Vector256.Max(a.Value, Vector256<T>.Zero));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> LogSigmoid(Simd256<T> a) =>
        new(Vector256.Min(a.Value, Vector256<T>.Zero) - Log1pOfUnit(Exp(new(-Vector256.Abs(a.Value))).Value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Reciprocal(Simd256<T> a) => new(Vector256<T>.One / a.Value);
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> GreaterOrEqual(Simd256<T> a, Simd256<T> b) =>
        new(Vector256.ConditionalSelect(Vector256.GreaterThanOrEqual(a.Value, b.Value), Vector256<T>.One, Vector256<T>.Zero));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Simd256<T> Sign(Simd256<T> a) =>
        new(Vector256.ConditionalSelect(Vector256.GreaterThan(a.Value, Vector256<T>.Zero), Vector256<T>.One, Vector256<T>.Zero)
            - Vector256.ConditionalSelect(Vector256.LessThan(a.Value, Vector256<T>.Zero), Vector256<T>.One, Vector256<T>.Zero));
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sum(Simd256<T> a) => Vector256.Sum(a.Value);

    /// <summary>
    /// log(1 + e) for e in [0, 1] without a vector log1p: log(u) · e / (u - 1) with u = 1 + e. The factor
    /// e / (u - 1) cancels the rounding of u, so a tiny e keeps its digits; where u rounds to 1 the result is e.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Log1pOfUnit(Vector256<T> e)
    {
        var u = Vector256<T>.One + e;
        var d = u - Vector256<T>.One;
        return Vector256.ConditionalSelect(Vector256.Equals(d, Vector256<T>.Zero), e, Log(new(u)).Value * (e / d));
    }
}
