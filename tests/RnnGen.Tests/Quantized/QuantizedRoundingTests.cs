namespace RnnGen.Tests.Quantized;

/// <summary>bf16 rounds to nearest, ties to even, keeps NaN; int8 rows scale by max|row| / 127.</summary>
public class QuantizedRoundingTests
{
    [Theory]
    // Exactly representable: unchanged.
    [InlineData(0x3F800000u, (ushort)0x3F80)]
    // Below half of the dropped unit: down. Above half: up.
    [InlineData(0x3F807FFFu, (ushort)0x3F80)]
    [InlineData(0x3F808001u, (ushort)0x3F81)]
    // Exactly half: to the even neighbour, down from an even one and up from an odd one.
    [InlineData(0x3F808000u, (ushort)0x3F80)]
    [InlineData(0x3F818000u, (ushort)0x3F82)]
    // Negative values round by magnitude the same way.
    [InlineData(0xBF818000u, (ushort)0xBF82)]
    // The carry runs into the exponent: just under 2 rounds to 2.
    [InlineData(0x3FFFFFFFu, (ushort)0x4000)]
    // Past bf16's largest finite value: infinity, as IEEE rounding gives; infinity stays infinity.
    [InlineData(0x7F7FFFFFu, (ushort)0x7F80)]
    [InlineData(0x7F800000u, (ushort)0x7F80)]
    // Subnormals round like any other value.
    [InlineData(0x00018000u, (ushort)0x0002)]
    public void Bf16_rounds_to_nearest_with_ties_to_even(uint bits, ushort expected) =>
        Assert.Equal(expected, QuantizedRounding.ToBFloat16(BitConverter.UInt32BitsToSingle(bits)));

    [Theory]
    [InlineData(0x7FC00000u)]
    [InlineData(0xFFC00001u)]
    // A signalling NaN whose payload lies only in the low bits: truncation would make it infinity.
    [InlineData(0x7F800001u)]
    public void Bf16_keeps_a_nan_a_nan_with_its_sign(uint bits)
    {
        ushort b = QuantizedRounding.ToBFloat16(BitConverter.UInt32BitsToSingle(bits));
        float back = QuantizedRounding.FromBFloat16(b);
        Assert.True(float.IsNaN(back));
        Assert.Equal(bits >> 31, (uint)b >> 15);
    }

    [Fact]
    public void An_int8_row_scales_by_its_largest_magnitude_and_a_zero_row_by_zero()
    {
        var codes = new sbyte[4];
        float scale = QuantizedRounding.QuantizeRow([0.5f, -2.54f, 1.0f, 0], codes, 0);
        Assert.Equal(2.54f / 127, scale);
        Assert.Equal(new sbyte[] { 25, -127, 50, 0 }, codes);

        Assert.Equal(0, QuantizedRounding.QuantizeRow([0f, 0f, 0f, 0f], codes, 1));
        Assert.Equal(new sbyte[4], codes);
    }
}
