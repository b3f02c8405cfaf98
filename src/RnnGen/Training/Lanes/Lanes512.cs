using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Training.Lanes;

/// <summary>512-bit float lanes for the optimiser loops.</summary>
internal readonly struct Lanes512(Vector512<float> value) : IFloatLanes<Lanes512>
{
    private readonly Vector512<float> _value = value;

    public static int Count => Vector512<float>.Count;
    public static Lanes512 Splat(float value) => new(Vector512.Create(value));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Lanes512 Load(ReadOnlySpan<float> source, int index) =>
        new(Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(source), (nuint)index));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Span<float> destination, int index, Lanes512 value) =>
        value._value.StoreUnsafe(ref MemoryMarshal.GetReference(destination), (nuint)index);

    public static Lanes512 Sqrt(Lanes512 a) => new(Vector512.Sqrt(a._value));

    public static double SumOfSquares(Lanes512 a)
    {
        // Widen before squaring: the norm of a large gradient must not overflow or lose small terms.
        var (lower, upper) = Vector512.Widen(a._value);
        return Vector512.Sum(lower * lower) + Vector512.Sum(upper * upper);
    }

    public static Lanes512 operator +(Lanes512 a, Lanes512 b) => new(a._value + b._value);
    public static Lanes512 operator -(Lanes512 a, Lanes512 b) => new(a._value - b._value);
    public static Lanes512 operator *(Lanes512 a, Lanes512 b) => new(a._value * b._value);
    public static Lanes512 operator /(Lanes512 a, Lanes512 b) => new(a._value / b._value);
}
