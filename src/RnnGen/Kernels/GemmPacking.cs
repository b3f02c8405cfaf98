using System.Numerics;
using System.Runtime.CompilerServices;

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
    public static void PackA<T>(bool transposeA, int rows, int kc, T* a, nint lda, T* dst, int mr)
        where T : unmanaged, INumber<T>
    {
        for (int i0 = 0; i0 < rows; i0 += mr)
        {
            int h = Math.Min(mr, rows - i0);
            if (transposeA)
            {
                // A stored [k, m]: the mr values of one k step are already adjacent.
                T* src = a + i0;
                for (int p = 0; p < kc; p++, src += lda, dst += mr)
                {
                    int i = 0;
                    for (; i < h; i++) dst[i] = src[i];
                    for (; i < mr; i++) dst[i] = T.Zero;
                }
            }
            else
            {
                // A stored [m, k]: walk each row contiguously and scatter with stride mr; the writes stay in
                // one small panel that lives in L1.
                for (int i = 0; i < h; i++)
                {
                    T* src = a + (i0 + i) * lda;
                    T* d = dst + i;
                    for (int p = 0; p < kc; p++) d[p * mr] = src[p];
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
                for (int j = 0; j < wd; j++)
                {
                    T* src = b + (j0 + j) * ldb;
                    T* d = dst + j;
                    for (int p = 0; p < kc; p++) d[p * nr] = src[p];
                }
                for (int j = wd; j < nr; j++)
                    for (int p = 0; p < kc; p++) dst[p * nr + j] = T.Zero;
                dst += kc * nr;
            }
        }
    }

    /// <summary>Rounds <paramref name="value"/> up to a multiple of <paramref name="step"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int RoundUp(int value, int step) => (value + step - 1) / step * step;
}
