namespace RnnGen.Kernels;

/// <summary>How fp32 weights become bf16 and int8: the only rounding a <see cref="QuantizedMatrix"/> adds to its weights.</summary>
internal static class QuantizedRounding
{
    /// <summary>The int8 code range: symmetric, so -128 is never used and the scale is max|row| / 127.</summary>
    public const int Int8Max = 127;

    /// <summary>
    /// The bf16 nearest to <paramref name="value"/>, ties to even (its top 16 bits after adding just under half a
    /// unit of the 16 bits dropped, plus the kept lowest bit); a NaN stays a NaN (quiet, sign kept) rather than
    /// rounding into infinity, and values past bf16's largest finite one round to infinity as IEEE rounding does.
    /// </summary>
    public static ushort ToBFloat16(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
            return (ushort)(bits >> 16 | 0x0040);
        uint lsb = bits >> 16 & 1;
        return (ushort)((bits + 0x7FFF + lsb) >> 16);
    }

    /// <summary>The float a bf16 stands for: its bits as the top half of a float's.</summary>
    public static float FromBFloat16(ushort value) => BitConverter.UInt32BitsToSingle((uint)value << 16);

    /// <summary>
    /// The scale of one row for int8 (max|row| / 127; 0 for a zero row, whose codes are then all 0), and the codes
    /// round(w / scale) into <paramref name="codes"/>. Weights must be finite: a scale from an infinity would turn
    /// the whole row into zeros and NaNs without a word.
    /// </summary>
    public static float QuantizeRow(ReadOnlySpan<float> row, Span<sbyte> codes, int rowIndex)
    {
        float max = 0;
        for (int c = 0; c < row.Length; c++)
        {
            if (!float.IsFinite(row[c]))
                throw new ArgumentException($"Int8 weights must be finite: row {rowIndex}, column {c} holds {row[c]}.", "weights");
            max = MathF.Max(max, MathF.Abs(row[c]));
        }
        if (max == 0)
        {
            codes[..row.Length].Clear();
            return 0;
        }
        float scale = max / Int8Max;
        for (int c = 0; c < row.Length; c++)
            codes[c] = (sbyte)Math.Clamp(MathF.Round(row[c] / scale), -Int8Max, Int8Max);
        return scale;
    }
}
