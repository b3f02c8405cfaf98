using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// Sums of bf16 rows times x, widened to fp32 in registers and multiplied in fp32. A row's chunk is read as pairs of
/// bf16 in 32-bit lanes: shifting a lane left by 16 gives the even column's float, masking off its low half the odd
/// column's, so no shuffle is needed; x is laid out to match (<see cref="QuantizedInput"/>: per vector of pairs, the
/// even columns' values, then the odd ones').
/// </summary>
internal static unsafe class QuantizedBFloat16Kernel
{
    /// <summary>32-bit pairs from one chunk of a row to its next.</summary>
    private const int Stride = QuantizedMatrix.PanelRows * Pairs;

    /// <summary>32-bit pairs in one chunk.</summary>
    private const int Pairs = QuantizedMatrix.ChunkColumns / 2;

    private const int Chunk = QuantizedMatrix.ChunkColumns;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float RowScalar(uint* w, int chunks, float* x)
    {
        float sum = 0;
        for (int k = 0; k < chunks; k++, w += Stride, x += Chunk)
            for (int c = 0; c < Chunk; c++)
                sum = MathF.FusedMultiplyAdd(QuantizedRounding.FromBFloat16(((ushort*)w)[c]), x[c], sum);
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Row256(uint* w, int chunks, float* x)
    {
        var acc = Vector256<float>.Zero;
        for (int k = 0; k < chunks; k++, w += Stride, x += Chunk)
            acc = Chunk256(w, Vector256.Load(x), Vector256.Load(x + 8), Vector256.Load(x + 16), Vector256.Load(x + 24), acc);
        return QuantizedFloat32Kernel.Sum(acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Panel256(uint* w, int chunks, float* x, float* sums)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (int k = 0; k < chunks; k++, w += Stride, x += Chunk)
        {
            var e0 = Vector256.Load(x);
            var o0 = Vector256.Load(x + 8);
            var e1 = Vector256.Load(x + 16);
            var o1 = Vector256.Load(x + 24);
            a0 = Chunk256(w, e0, o0, e1, o1, a0);
            a1 = Chunk256(w + Pairs, e0, o0, e1, o1, a1);
            a2 = Chunk256(w + 2 * Pairs, e0, o0, e1, o1, a2);
            a3 = Chunk256(w + 3 * Pairs, e0, o0, e1, o1, a3);
            a4 = Chunk256(w + 4 * Pairs, e0, o0, e1, o1, a4);
            a5 = Chunk256(w + 5 * Pairs, e0, o0, e1, o1, a5);
            a6 = Chunk256(w + 6 * Pairs, e0, o0, e1, o1, a6);
            a7 = Chunk256(w + 7 * Pairs, e0, o0, e1, o1, a7);
        }
        sums[0] = QuantizedFloat32Kernel.Sum(a0); sums[1] = QuantizedFloat32Kernel.Sum(a1);
        sums[2] = QuantizedFloat32Kernel.Sum(a2); sums[3] = QuantizedFloat32Kernel.Sum(a3);
        sums[4] = QuantizedFloat32Kernel.Sum(a4); sums[5] = QuantizedFloat32Kernel.Sum(a5);
        sums[6] = QuantizedFloat32Kernel.Sum(a6); sums[7] = QuantizedFloat32Kernel.Sum(a7);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static float Row512(uint* w, int chunks, float* x)
    {
        var acc = Vector512<float>.Zero;
        for (int k = 0; k < chunks; k++, w += Stride, x += Chunk)
            acc = Chunk512(w, Vector512.Load(x), Vector512.Load(x + 16), acc);
        return QuantizedFloat32Kernel.Sum(acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Panel512(uint* w, int chunks, float* x, float* sums)
    {
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
        for (int k = 0; k < chunks; k++, w += Stride, x += Chunk)
        {
            var e = Vector512.Load(x);
            var o = Vector512.Load(x + 16);
            a0 = Chunk512(w, e, o, a0);
            a1 = Chunk512(w + Pairs, e, o, a1);
            a2 = Chunk512(w + 2 * Pairs, e, o, a2);
            a3 = Chunk512(w + 3 * Pairs, e, o, a3);
            a4 = Chunk512(w + 4 * Pairs, e, o, a4);
            a5 = Chunk512(w + 5 * Pairs, e, o, a5);
            a6 = Chunk512(w + 6 * Pairs, e, o, a6);
            a7 = Chunk512(w + 7 * Pairs, e, o, a7);
        }
        sums[0] = QuantizedFloat32Kernel.Sum(a0); sums[1] = QuantizedFloat32Kernel.Sum(a1);
        sums[2] = QuantizedFloat32Kernel.Sum(a2); sums[3] = QuantizedFloat32Kernel.Sum(a3);
        sums[4] = QuantizedFloat32Kernel.Sum(a4); sums[5] = QuantizedFloat32Kernel.Sum(a5);
        sums[6] = QuantizedFloat32Kernel.Sum(a6); sums[7] = QuantizedFloat32Kernel.Sum(a7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Chunk256(uint* w, Vector256<float> e0, Vector256<float> o0, Vector256<float> e1, Vector256<float> o1, Vector256<float> acc)
    {
        var v = Vector256.Load(w);
        acc = Vector256.FusedMultiplyAdd(Vector256.ShiftLeft(v, 16).AsSingle(), e0, acc);
        acc = Vector256.FusedMultiplyAdd((v & Vector256.Create(0xFFFF0000u)).AsSingle(), o0, acc);
        v = Vector256.Load(w + 8);
        acc = Vector256.FusedMultiplyAdd(Vector256.ShiftLeft(v, 16).AsSingle(), e1, acc);
        return Vector256.FusedMultiplyAdd((v & Vector256.Create(0xFFFF0000u)).AsSingle(), o1, acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Chunk512(uint* w, Vector512<float> e, Vector512<float> o, Vector512<float> acc)
    {
        var v = Vector512.Load(w);
        acc = Vector512.FusedMultiplyAdd(Vector512.ShiftLeft(v, 16).AsSingle(), e, acc);
        return Vector512.FusedMultiplyAdd((v & Vector512.Create(0xFFFF0000u)).AsSingle(), o, acc);
    }
}
