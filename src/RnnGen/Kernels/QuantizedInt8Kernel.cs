using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RnnGen.Kernels;

/// <summary>
/// Sums of int8 rows times x quantized to int16 (<see cref="QuantizedInput"/>), in exact int32 arithmetic: the
/// weights are widened to int16 in registers and multiplied by pairs into int32 lanes (vpmaddwd; one fused
/// multiply-add with AVX-VNNI's vpdpwssd). x's range is chosen from the row length so that no sum can overflow,
/// hence every path, and every order of summing, gives the same integer.
/// </summary>
internal static unsafe class QuantizedInt8Kernel
{
    /// <summary>Bytes from one chunk of a row to its next.</summary>
    private const int Stride = QuantizedMatrix.PanelRows * QuantizedMatrix.ChunkColumns;

    private const int Chunk = QuantizedMatrix.ChunkColumns;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float RowScalar(sbyte* w, int chunks, short* x)
    {
        int sum = 0;
        for (int k = 0; k < chunks; k++, w += Stride, x += Chunk)
            for (int c = 0; c < Chunk; c++)
                sum += w[c] * x[c];
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Row256(sbyte* w, int chunks, short* x)
    {
        var acc = Vector256<int>.Zero;
        for (int k = 0; k < chunks; k++, w += Stride, x += Chunk)
            acc = Chunk256(w, Vector256.Load(x), Vector256.Load(x + 16), acc);
        return Vector256.Sum(acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Panel256(sbyte* w, int chunks, short* x, float* sums)
    {
        Vector256<int> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (int k = 0; k < chunks; k++, w += Stride, x += Chunk)
        {
            var x0 = Vector256.Load(x);
            var x1 = Vector256.Load(x + 16);
            a0 = Chunk256(w, x0, x1, a0);
            a1 = Chunk256(w + Chunk, x0, x1, a1);
            a2 = Chunk256(w + 2 * Chunk, x0, x1, a2);
            a3 = Chunk256(w + 3 * Chunk, x0, x1, a3);
            a4 = Chunk256(w + 4 * Chunk, x0, x1, a4);
            a5 = Chunk256(w + 5 * Chunk, x0, x1, a5);
            a6 = Chunk256(w + 6 * Chunk, x0, x1, a6);
            a7 = Chunk256(w + 7 * Chunk, x0, x1, a7);
        }
        sums[0] = Vector256.Sum(a0); sums[1] = Vector256.Sum(a1); sums[2] = Vector256.Sum(a2); sums[3] = Vector256.Sum(a3);
        sums[4] = Vector256.Sum(a4); sums[5] = Vector256.Sum(a5); sums[6] = Vector256.Sum(a6); sums[7] = Vector256.Sum(a7);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Row512(sbyte* w, int chunks, short* x)
    {
        var acc = Vector512<int>.Zero;
        for (int k = 0; k < chunks; k++, w += Stride, x += Chunk)
            acc = Chunk512(w, Vector512.Load(x), acc);
        return Vector512.Sum(acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Panel512(sbyte* w, int chunks, short* x, float* sums)
    {
        Vector512<int> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (int k = 0; k < chunks; k++, w += Stride, x += Chunk)
        {
            var x0 = Vector512.Load(x);
            a0 = Chunk512(w, x0, a0);
            a1 = Chunk512(w + Chunk, x0, a1);
            a2 = Chunk512(w + 2 * Chunk, x0, a2);
            a3 = Chunk512(w + 3 * Chunk, x0, a3);
            a4 = Chunk512(w + 4 * Chunk, x0, a4);
            a5 = Chunk512(w + 5 * Chunk, x0, a5);
            a6 = Chunk512(w + 6 * Chunk, x0, a6);
            a7 = Chunk512(w + 7 * Chunk, x0, a7);
        }
        sums[0] = Vector512.Sum(a0); sums[1] = Vector512.Sum(a1); sums[2] = Vector512.Sum(a2); sums[3] = Vector512.Sum(a3);
        sums[4] = Vector512.Sum(a4); sums[5] = Vector512.Sum(a5); sums[6] = Vector512.Sum(a6); sums[7] = Vector512.Sum(a7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Chunk256(sbyte* w, Vector256<short> x0, Vector256<short> x1, Vector256<int> acc)
    {
        acc = DotPairs(acc, Widen(Vector128.Load(w)), x0);
        return DotPairs(acc, Widen(Vector128.Load(w + 16)), x1);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Chunk512(sbyte* w, Vector512<short> x0, Vector512<int> acc) =>
        DotPairs(acc, Widen(Vector256.Load(w)), x0);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Widen(Vector128<sbyte> w) =>
        Avx2.IsSupported ? Avx2.ConvertToVector256Int16(w) : Vector256.Create(Vector128.WidenLower(w), Vector128.WidenUpper(w));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<short> Widen(Vector256<sbyte> w) =>
        Avx512BW.IsSupported ? Avx512BW.ConvertToVector512Int16(w) : Vector512.Create(Vector256.WidenLower(w), Vector256.WidenUpper(w));

    /// <summary>acc plus the products of w and x, two neighbouring products per int32 lane. Without the instruction
    /// (tests forcing a path this machine lacks) the lanes group the products differently; the total is the same.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> DotPairs(Vector256<int> acc, Vector256<short> w, Vector256<short> x)
    {
        if (AvxVnni.IsSupported)
            return AvxVnni.MultiplyWideningAndAdd(acc, w, x);
        if (Avx2.IsSupported)
            return acc + Avx2.MultiplyAddAdjacent(w, x);
        return acc + Vector256.WidenLower(w) * Vector256.WidenLower(x) + Vector256.WidenUpper(w) * Vector256.WidenUpper(x);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> DotPairs(Vector512<int> acc, Vector512<short> w, Vector512<short> x)
    {
        if (Avx512BW.IsSupported)
            return acc + Avx512BW.MultiplyAddAdjacent(w, x);
        return acc + Vector512.WidenLower(w) * Vector512.WidenLower(x) + Vector512.WidenUpper(w) * Vector512.WidenUpper(x);
    }
}
