using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RnnGen.Kernels;

/// <summary>
/// Copies blocks of A and B into the order the micro-kernel reads them: A as panels of MR rows
/// (for each k, MR consecutive values), B as panels of NR columns (for each k, NR consecutive values).
/// Packing is where transposes are absorbed: the kernel never sees a stride other than the panel's,
/// and a partial panel is padded with zeros so the kernel can always compute a full tile.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>
    /// Packs op(A)[rows, kc] (rows starting at op(A) row 0 of <paramref name="a"/>, columns at k offset 0)
    /// into ceil(rows / mr) panels of kc x mr.
    /// </summary>
    // Compiled fully optimised at once: hot from the first call, so short runs see the steady-state kernel.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<T, TV>(bool transposeA, int rows, int kc, T* a, nint lda, T* dst)
        where T : unmanaged, INumber<T>
        where TV : struct, IGemmVector<TV, T>
    {
        int mr = TV.Rows;
        for (int i0 = 0; i0 < rows; i0 += mr)
        {
            int h = Math.Min(mr, rows - i0);
            if (transposeA)
            {
                // A stored [k, m]: the mr values of one k step are already adjacent.
                T* src = a + i0;
                if (h == mr)
                {
                    // A constant-size copy: the JIT emits a couple of vector moves.
                    for (int p = 0; p < kc; p++, src += lda, dst += mr)
                        Unsafe.CopyBlockUnaligned(dst, src, (uint)(TV.Rows * sizeof(T)));
                    continue;
                }
                for (int p = 0; p < kc; p++, src += lda, dst += mr)
                {
                    int i = 0;
                    for (; i < h; i++) dst[i] = src[i];
                    for (; i < mr; i++) dst[i] = T.Zero;
                }
            }
            else
            {
                // A stored [m, k]: the panel is a transpose of an mr x kc block. Whole 8 x 8 float tiles go
                // through registers; the rest walks each row contiguously and scatters with stride mr (the
                // writes stay in one small panel that lives in L1).
                int done = 0;
                if (typeof(T) == typeof(float) && mr == 8 && h == 8 && Avx.IsSupported)
                {
                    T* src = a + i0 * lda;
                    for (; done + 8 <= kc; done += 8)
                        Transpose8x8((float*)(src + done), lda, (float*)(dst + done * 8), 8);
                }
                for (int i = 0; i < h; i++)
                {
                    T* src = a + (i0 + i) * lda;
                    T* d = dst + i;
                    for (int p = done; p < kc; p++) d[p * mr] = src[p];
                }
                for (int i = h; i < mr; i++)
                    for (int p = 0; p < kc; p++) dst[p * mr + i] = T.Zero;
                dst += kc * mr;
            }
        }
    }

    /// <summary>
    /// Packs op(B)[kc, cols] (starting at op(B) row 0, column 0 of <paramref name="b"/>) into
    /// ceil(cols / nr) panels of kc x nr.
    /// </summary>
    // Compiled fully optimised at once: hot from the first call, so short runs see the steady-state kernel.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T, TV>(bool transposeB, int kc, int cols, T* b, nint ldb, T* dst)
        where T : unmanaged, INumber<T>
        where TV : struct, IGemmVector<TV, T>
    {
        int w = TV.Count;
        int nr = 2 * w;
        for (int j0 = 0; j0 < cols; j0 += nr)
        {
            int wd = Math.Min(nr, cols - j0);
            if (!transposeB)
            {
                T* src = b + j0;
                if (wd == nr)
                {
                    for (int p = 0; p < kc; p++, src += ldb, dst += nr)
                    {
                        TV.Store(dst, TV.Load(src));
                        TV.Store(dst + w, TV.Load(src + w));
                    }
                }
                else
                {
                    for (int p = 0; p < kc; p++, src += ldb, dst += nr)
                    {
                        int j = 0;
                        for (; j < wd; j++) dst[j] = src[j];
                        for (; j < nr; j++) dst[j] = T.Zero;
                    }
                }
            }
            else
            {
                // B stored [n, k]: each column of op(B) is a contiguous row of B; read it along k and
                // scatter into the panel with stride nr.
                int tiled = 0, done = 0;
                if (typeof(T) == typeof(float) && Avx.IsSupported && kc >= 8)
                {
                    done = kc / 8 * 8;
                    for (; tiled + 8 <= wd; tiled += 8)
                    {
                        T* src = b + (j0 + tiled) * ldb;
                        for (int p = 0; p < done; p += 8)
                            Transpose8x8((float*)(src + p), ldb, (float*)(dst + p * nr + tiled), nr);
                    }
                }
                for (int j = 0; j < wd; j++)
                {
                    T* src = b + (j0 + j) * ldb;
                    T* d = dst + j;
                    for (int p = j < tiled ? done : 0; p < kc; p++) d[p * nr] = src[p];
                }
                for (int j = wd; j < nr; j++)
                    for (int p = 0; p < kc; p++) dst[p * nr + j] = T.Zero;
                dst += kc * nr;
            }
        }
    }

    /// <summary>
    /// dst[q, r] = src[r, q] for an 8 x 8 block of floats (rows srcStride and dstStride apart): unpack
    /// pairs of rows, shuffle pairs of pairs, then swap 128-bit halves, 24 shuffles for 64 values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* src, nint srcStride, float* dst, nint dstStride)
    {
        Vector256<float> r0 = Avx.LoadVector256(src), r1 = Avx.LoadVector256(src + srcStride);
        Vector256<float> r2 = Avx.LoadVector256(src + 2 * srcStride), r3 = Avx.LoadVector256(src + 3 * srcStride);
        Vector256<float> r4 = Avx.LoadVector256(src + 4 * srcStride), r5 = Avx.LoadVector256(src + 5 * srcStride);
        Vector256<float> r6 = Avx.LoadVector256(src + 6 * srcStride), r7 = Avx.LoadVector256(src + 7 * srcStride);
        // Per 128-bit half: t0 = (r0q0 r1q0 r0q1 r1q1), t1 = (r0q2 r1q2 r0q3 r1q3), and so on.
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1);
        Vector256<float> t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
        Vector256<float> t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        // s0 = (r0q0 r1q0 r2q0 r3q0 | r0q4 r1q4 r2q4 r3q4), s1 the same for q1 and q5, ...
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE);
        Vector256<float> s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE);
        Vector256<float> s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + dstStride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + 2 * dstStride, Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + 3 * dstStride, Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + 4 * dstStride, Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + 5 * dstStride, Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + 6 * dstStride, Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + 7 * dstStride, Avx.Permute2x128(s3, s7, 0x31));
    }

    /// <summary>Rounds <paramref name="value"/> up to a multiple of <paramref name="step"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int RoundUp(int value, int step) => (value + step - 1) / step * step;
}
