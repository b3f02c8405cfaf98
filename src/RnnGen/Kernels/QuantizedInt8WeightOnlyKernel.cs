using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RnnGen.Kernels;

/// <summary>Way (a) for int8, kept only to compare: the codes widened to fp32 in registers, multiplied by fp32 x.</summary>
internal static unsafe class QuantizedInt8WeightOnlyKernel
{
    private const int Stride = QuantizedMatrix.PanelRows * QuantizedMatrix.ChunkColumns;
    private const int Chunk = QuantizedMatrix.ChunkColumns;

    public static float Row256(sbyte* w, int chunks, float* x)
    {
        var acc = Vector256<float>.Zero;
        for (int k = 0; k < chunks; k++, w += Stride, x += Chunk)
            acc = Chunk256(w, Vector256.Load(x), Vector256.Load(x + 8), Vector256.Load(x + 16), Vector256.Load(x + 24), acc);
        return QuantizedFloat32Kernel.Sum(acc);
    }

    public static void Panel256(sbyte* w, int chunks, float* x, float* sums)
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
        sums[0] = QuantizedFloat32Kernel.Sum(a0); sums[1] = QuantizedFloat32Kernel.Sum(a1);
        sums[2] = QuantizedFloat32Kernel.Sum(a2); sums[3] = QuantizedFloat32Kernel.Sum(a3);
        sums[4] = QuantizedFloat32Kernel.Sum(a4); sums[5] = QuantizedFloat32Kernel.Sum(a5);
        sums[6] = QuantizedFloat32Kernel.Sum(a6); sums[7] = QuantizedFloat32Kernel.Sum(a7);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Chunk256(sbyte* w, Vector256<float> x0, Vector256<float> x1, Vector256<float> x2, Vector256<float> x3, Vector256<float> acc)
    {
        acc = Vector256.FusedMultiplyAdd(Widen(w), x0, acc);
        acc = Vector256.FusedMultiplyAdd(Widen(w + 8), x1, acc);
        acc = Vector256.FusedMultiplyAdd(Widen(w + 16), x2, acc);
        return Vector256.FusedMultiplyAdd(Widen(w + 24), x3, acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Widen(sbyte* w) => Vector256.ConvertToSingle(Avx2.ConvertToVector256Int32(w));
}
