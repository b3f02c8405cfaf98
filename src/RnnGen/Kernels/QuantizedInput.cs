using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RnnGen.Models;

namespace RnnGen.Kernels;

/// <summary>
/// One row of x as a product's kernel reads it: padded with zeros to whole chunks, reordered for bf16's even/odd
/// pairs, or quantized to int16 for int8 weights. Every part of a split prepares x itself, from the same values in
/// the same way, so the parts agree on it without sharing anything.
/// </summary>
/// <remarks>
/// A split product gives each of its parts a buffer of its own, made before the region starts (<see cref="For"/>):
/// a buffer of the thread instead would be made, and grown, by whichever thread first runs a part, so a pool worker
/// that was late for the first tokens (its part taken over by the caller) would allocate at a later one. The
/// thread's buffer (<see cref="ForThread"/>) is only for products on the calling thread alone.
/// </remarks>
internal sealed unsafe class QuantizedInput
{
    [ThreadStatic] private static QuantizedInput? t_current;

    private float[] _floats = [];
    private short[] _shorts = [];

    /// <summary>The calling thread's buffer, grown at its first use by a wider matrix.</summary>
    public static QuantizedInput ForThread() => t_current ??= new QuantizedInput();

    /// <summary>A buffer that already fits <paramref name="matrix"/>'s rows of x, so its first product allocates nothing.</summary>
    public static QuantizedInput For(QuantizedMatrix matrix)
    {
        var input = new QuantizedInput();
        if (matrix.Precision == Precision.Int8) input.ShortBuffer(matrix.PaddedColumns);
        else input.FloatBuffer(matrix.PaddedColumns);
        return input;
    }

    /// <summary>
    /// The largest |code| of x for int8 products over <paramref name="paddedColumns"/> columns: every sum of
    /// products then stays within int32 (127 x code x columns), at most int16's range for the pair products.
    /// </summary>
    public static int Int8InputMax(int paddedColumns) =>
        (int)Math.Min(short.MaxValue, int.MaxValue / (QuantizedRounding.Int8Max * (long)paddedColumns));

    /// <summary>x padded with zeros: the weights' padding is zero too, and x's must be finite for 0 x pad to stay 0.</summary>
    public float* Floats(float* x, int columns, int paddedColumns)
    {
        float* to = FloatBuffer(paddedColumns);
        new ReadOnlySpan<float>(x, columns).CopyTo(new Span<float>(to, columns));
        new Span<float>(to + columns, paddedColumns - columns).Clear();
        return to;
    }

    /// <summary>
    /// x for bf16 products on <paramref name="path"/>: per vector of pairs (8 lanes, or 16 on 512 bits), the even
    /// columns' values, then the odd ones', matching the lanes that a pair's shift and mask fill; plain on the scalar path.
    /// </summary>
    public float* BFloat16Pairs(QuantizedPath path, float* x, int columns, int paddedColumns)
    {
        if (path == QuantizedPath.Scalar)
            return Floats(x, columns, paddedColumns);
        int lanes = path == QuantizedPath.Vector512 ? 16 : 8;
        float* to = FloatBuffer(paddedColumns);
        for (int g = 0; g < paddedColumns; g += 2 * lanes)
        {
            for (int i = 0; i < lanes; i++)
            {
                int even = g + 2 * i;
                to[g + i] = even < columns ? x[even] : 0;
                to[g + lanes + i] = even + 1 < columns ? x[even + 1] : 0;
            }
        }
        return to;
    }

    /// <summary>
    /// x quantized symmetrically to int16 codes, round(x / scale) with scale = max|x| / <see cref="Int8InputMax"/>,
    /// and that scale in <paramref name="scale"/> (0 when x is all zeros). A non-finite x gives the scale NaN, so that
    /// every output of its row is NaN, as a float product would make it, rather than a silent number.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public short* Int8Codes(float* x, int columns, int paddedColumns, out float scale)
    {
        short* to = ShortBuffer(paddedColumns);
        new Span<short>(to, paddedColumns).Clear();
        float max = MaxAbs(x, columns);
        if (!float.IsFinite(max))
        {
            scale = float.NaN;
            return to;
        }
        if (max == 0)
        {
            scale = 0;
            return to;
        }
        int codeMax = Int8InputMax(paddedColumns);
        scale = max / codeMax;
        float inverse = codeMax / max;
        int c = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            var inv = Vector256.Create(inverse);
            var hi = Vector256.Create((float)codeMax);
            for (; c + 16 <= columns; c += 16)
            {
                var lo = Vector256.ConvertToInt32(Clamp(Vector256.Load(x + c) * inv, hi));
                var up = Vector256.ConvertToInt32(Clamp(Vector256.Load(x + c + 8) * inv, hi));
                Vector256.Narrow(lo, up).Store(to + c);
            }
        }
        for (; c < columns; c++)
            to[c] = (short)Math.Clamp(MathF.Round(x[c] * inverse), -codeMax, codeMax);
        return to;
    }

    /// <summary>Rounds to nearest even and clamps, lane by lane as the scalar loop does.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Clamp(Vector256<float> v, Vector256<float> hi) =>
        Vector256.Min(Vector256.Max(Vector256.Round(v), -hi), hi);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static float MaxAbs(float* x, int columns)
    {
        float max = 0;
        int c = 0;
        if (Vector256.IsHardwareAccelerated && columns >= 8)
        {
            var m = Vector256<float>.Zero;
            for (; c + 8 <= columns; c += 8)
            {
                var v = Vector256.Abs(Vector256.Load(x + c));
                // NaN must win, as it would not in Max: mark it as infinity, which is not finite either.
                m = Vector256.Max(m, Vector256.ConditionalSelect(Vector256.Equals(v, v), v, Vector256.Create(float.PositiveInfinity)));
            }
            for (int i = 0; i < 8; i++)
                max = MathF.Max(max, m.GetElement(i));
        }
        for (; c < columns; c++)
        {
            float a = MathF.Abs(x[c]);
            max = float.IsNaN(a) ? float.PositiveInfinity : MathF.Max(max, a);
        }
        return max;
    }

    private float* FloatBuffer(int length)
    {
        if (_floats.Length < length)
            _floats = GC.AllocateArray<float>(length, pinned: true);
        return (float*)Unsafe.AsPointer(ref _floats[0]);
    }

    private short* ShortBuffer(int length)
    {
        if (_shorts.Length < length)
            _shorts = GC.AllocateArray<short>(length, pinned: true);
        return (short*)Unsafe.AsPointer(ref _shorts[0]);
    }
}
