using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Training.Lanes;

/// <summary>256-bit float lanes for the optimiser loops.</summary>
internal readonly struct Lanes256(Vector256<float> value) : IFloatLanes<Lanes256>
{
    private readonly Vector256<float> _value = value;

    public static int Count => Vector256<float>.Count;
    public static Lanes256 Splat(float value) => new(Vector256.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes256 Load(ReadOnlySpan<float> source, int index) =>
        new(Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(source), (nuint)index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Span<float> destination, int index, Lanes256 value) =>
        value._value.StoreUnsafe(ref MemoryMarshal.GetReference(destination), (nuint)index);

    public static Lanes256 Sqrt(Lanes256 a) => new(Vector256.Sqrt(a._value));

    public static double SumOfSquares(Lanes256 a)
    {
        // Widen before squaring: the norm of a large gradient must not overflow or lose small terms.
        var (lower, upper) = Vector256.Widen(a._value);
        return Vector256.Sum(lower * lower) + Vector256.Sum(upper * upper);
    }

    public static Lanes256 operator +(Lanes256 a, Lanes256 b) => new(a._value + b._value);
    public static Lanes256 operator -(Lanes256 a, Lanes256 b) => new(a._value - b._value);
    public static Lanes256 operator *(Lanes256 a, Lanes256 b) => new(a._value * b._value);
    public static Lanes256 operator /(Lanes256 a, Lanes256 b) => new(a._value / b._value);
}
