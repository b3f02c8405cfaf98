using System.Numerics;
using System.Runtime.InteropServices;

namespace RnnGen.Checkpoints;

/// <summary>
/// Finds NaN and ±Inf in tensors. A checkpoint holding one is useless (a NaN weight turns every output into
/// NaN, which samples as blanks), so the writer refuses to write one and the reader refuses to load one.
/// </summary>
internal static class FiniteValues
{
    /// <summary>Non-finite floats are exactly those whose exponent bits are all ones.</summary>
    private const uint ExponentMask = 0x7F800000;

    /// <summary>The index of the first NaN or infinity in <paramref name="values"/>, or -1 when all are finite.</summary>
    public static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        ReadOnlySpan<uint> bits = MemoryMarshal.Cast<float, uint>(values);
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            var mask = new Vector<uint>(ExponentMask);
            // Scan whole vectors and fall back to the scalar loop only to locate the culprit.
            for (; i <= bits.Length - Vector<uint>.Count; i += Vector<uint>.Count)
                if (Vector.EqualsAny(new Vector<uint>(bits[i..]) & mask, mask))
                    break;
        }
        for (; i < bits.Length; i++)
            if ((bits[i] & ExponentMask) == ExponentMask)
                return i;
        return -1;
    }

    /// <summary>"NaN", "Infinity" or "-Infinity", as the messages show it.</summary>
    public static string Describe(float value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
