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

    public static Simd256<T> operator +(Simd256<T> a, Simd256<T> b) => new(a.Value + b.Value);
    public static Simd256<T> operator -(Simd256<T> a, Simd256<T> b) => new(a.Value - b.Value);
    public static Simd256<T> operator *(Simd256<T> a, Simd256<T> b) => new(a.Value * b.Value);
    public static Simd256<T> operator -(Simd256<T> a) => new(-a.Value);

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

    public static Simd256<T> Relu(Simd256<T> a) => new(Vector256.Max(a.Value, Vector256<T>.Zero));
    public static Simd256<T> Positive(Simd256<T> a) =>
        new(Vector256.ConditionalSelect(Vector256.GreaterThan(a.Value, Vector256<T>.Zero), Vector256<T>.One, Vector256<T>.Zero));
    public static T Sum(Simd256<T> a) => Vector256.Sum(a.Value);
}
