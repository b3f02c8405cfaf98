namespace RnnGen.Training.Lanes;

/// <summary>
/// A register of float lanes, as the optimiser update loops see it. Each update is written once
/// against this interface and instantiated for the widest vector the hardware runs natively and for
/// a single lane that handles the tail, so the JIT emits straight-line code for both and the two
/// paths round identically (no fused multiply-add on either side).
/// </summary>
internal interface IFloatLanes<TSelf>
    where TSelf : struct, IFloatLanes<TSelf>
{
    static abstract int Count { get; }
    static abstract TSelf Splat(float value);
    /// <summary>Loads <see cref="Count"/> floats at <paramref name="index"/>; the caller guarantees the range.</summary>
    static abstract TSelf Load(ReadOnlySpan<float> source, int index);
    static abstract void Store(Span<float> destination, int index, TSelf value);
    static abstract TSelf Sqrt(TSelf a);
    /// <summary>The sum of the squares of the lanes, accumulated in double so long tensors lose nothing.</summary>
    static abstract double SumOfSquares(TSelf a);

    static abstract TSelf operator +(TSelf a, TSelf b);
    static abstract TSelf operator -(TSelf a, TSelf b);
    static abstract TSelf operator *(TSelf a, TSelf b);
    static abstract TSelf operator /(TSelf a, TSelf b);
}
