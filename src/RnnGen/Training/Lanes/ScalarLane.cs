using System.Runtime.CompilerServices;

namespace RnnGen.Training.Lanes;

/// <summary>One float lane: the tail of every optimiser loop, and the whole loop where no vector unit exists.</summary>
internal readonly struct ScalarLane(float value) : IFloatLanes<ScalarLane>
{
    private readonly float _value = value;

    public static int Count => 1;
    public static ScalarLane Splat(float value) => new(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ScalarLane Load(ReadOnlySpan<float> source, int index) => new(source[index]);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Span<float> destination, int index, ScalarLane value) => destination[index] = value._value;

    public static ScalarLane Sqrt(ScalarLane a) => new(MathF.Sqrt(a._value));
    public static double SumOfSquares(ScalarLane a) => (double)a._value * a._value;

    public static ScalarLane operator +(ScalarLane a, ScalarLane b) => new(a._value + b._value);
    public static ScalarLane operator -(ScalarLane a, ScalarLane b) => new(a._value - b._value);
    public static ScalarLane operator *(ScalarLane a, ScalarLane b) => new(a._value * b._value);
    public static ScalarLane operator /(ScalarLane a, ScalarLane b) => new(a._value / b._value);
}
