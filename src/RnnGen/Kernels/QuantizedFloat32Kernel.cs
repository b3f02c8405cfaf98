using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// Sums of fp32 rows times x. A row's sum on a vector path keeps one accumulator of lane-wise partial sums,
/// added chunk by chunk in column order and reduced in a fixed order at the end; the 8-row panel kernel runs the
/// very same operations per row as the one-row kernel, with x loaded once for all eight.
/// </summary>
internal static unsafe class QuantizedFloat32Kernel
{
    /// <summary>Floats from one chunk of a row to its next: the panel's other rows' chunks lie between.</summary>
    private const int Stride = QuantizedMatrix.PanelRows * QuantizedMatrix.ChunkColumns;

    private const int Chunk = QuantizedMatrix.ChunkColumns;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float RowScalar(float* w, int chunks, float* x)
    {
        float sum = 0;
        for (int k = 0; k < chunks; k++, w += Stride, x += Chunk)
            for (int c = 0; c < Chunk; c++)
                sum = MathF.FusedMultiplyAdd(w[c], x[c], sum);
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Row256(float* w, int chunks, float* x)
    {
        var acc = Vector256<float>.Zero;
        for (int k = 0; k < chunks; k++, w += Stride, x += Chunk)
            acc = Chunk256(w, Vector256.Load(x), Vector256.Load(x + 8), Vector256.Load(x + 16), Vector256.Load(x + 24), acc);
        return Sum(acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Panel256(float* w, int chunks, float* x, float* sums)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (int k = 0; k < chunks; k++, w += Stride, x += Chunk)
        {
            var x0 = Vector256.Load(x);
            var x1 = Vector256.Load(x + 8);
            var x2 = Vector256.Load(x + 16);
            var x3 = Vector256.Load(x + 24);
            a0 = Chunk256(w, x0, x1, x2, x3, a0);
            a1 = Chunk256(w + Chunk, x0, x1, x2, x3, a1);
            a2 = Chunk256(w + 2 * Chunk, x0, x1, x2, x3, a2);
            a3 = Chunk256(w + 3 * Chunk, x0, x1, x2, x3, a3);
            a4 = Chunk256(w + 4 * Chunk, x0, x1, x2, x3, a4);
            a5 = Chunk256(w + 5 * Chunk, x0, x1, x2, x3, a5);
            a6 = Chunk256(w + 6 * Chunk, x0, x1, x2, x3, a6);
            a7 = Chunk256(w + 7 * Chunk, x0, x1, x2, x3, a7);
        }
        sums[0] = Sum(a0); sums[1] = Sum(a1); sums[2] = Sum(a2); sums[3] = Sum(a3);
        sums[4] = Sum(a4); sums[5] = Sum(a5); sums[6] = Sum(a6); sums[7] = Sum(a7);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Row512(float* w, int chunks, float* x)
    {
        var acc = Vector512<float>.Zero;
        for (int k = 0; k < chunks; k++, w += Stride, x += Chunk)
            acc = Chunk512(w, Vector512.Load(x), Vector512.Load(x + 16), acc);
        return Sum(acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Panel512(float* w, int chunks, float* x, float* sums)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (int k = 0; k < chunks; k++, w += Stride, x += Chunk)
        {
            var x0 = Vector512.Load(x);
            var x1 = Vector512.Load(x + 16);
            a0 = Chunk512(w, x0, x1, a0);
            a1 = Chunk512(w + Chunk, x0, x1, a1);
            a2 = Chunk512(w + 2 * Chunk, x0, x1, a2);
            a3 = Chunk512(w + 3 * Chunk, x0, x1, a3);
            a4 = Chunk512(w + 4 * Chunk, x0, x1, a4);
            a5 = Chunk512(w + 5 * Chunk, x0, x1, a5);
            a6 = Chunk512(w + 6 * Chunk, x0, x1, a6);
            a7 = Chunk512(w + 7 * Chunk, x0, x1, a7);
        }
        sums[0] = Sum(a0); sums[1] = Sum(a1); sums[2] = Sum(a2); sums[3] = Sum(a3);
        sums[4] = Sum(a4); sums[5] = Sum(a5); sums[6] = Sum(a6); sums[7] = Sum(a7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Chunk256(float* w, Vector256<float> x0, Vector256<float> x1, Vector256<float> x2, Vector256<float> x3, Vector256<float> acc)
    {
        acc = Vector256.FusedMultiplyAdd(Vector256.Load(w), x0, acc);
        acc = Vector256.FusedMultiplyAdd(Vector256.Load(w + 8), x1, acc);
        acc = Vector256.FusedMultiplyAdd(Vector256.Load(w + 16), x2, acc);
        return Vector256.FusedMultiplyAdd(Vector256.Load(w + 24), x3, acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Chunk512(float* w, Vector512<float> x0, Vector512<float> x1, Vector512<float> acc)
    {
        acc = Vector512.FusedMultiplyAdd(Vector512.Load(w), x0, acc);
        return Vector512.FusedMultiplyAdd(Vector512.Load(w + 16), x1, acc);
    }

    /// <summary>The lanes' total in a fixed order (halves, then pairs): the same for every row and every caller.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Sum(Vector256<float> acc)
    {
        var q = acc.GetLower() + acc.GetUpper();
        return (q.GetElement(0) + q.GetElement(2)) + (q.GetElement(1) + q.GetElement(3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static float Sum(Vector512<float> acc) => Sum(acc.GetLower() + acc.GetUpper());
}
