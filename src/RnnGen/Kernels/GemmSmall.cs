using System.Numerics;
using System.Runtime.CompilerServices;

namespace RnnGen.Kernels;

/// <summary>
/// Products with only a few rows (m &lt;= <see cref="MaxRows"/>: batch-1 inference, the last rows of a
/// batch). They are bound by streaming B once, so nothing is packed: A's handful of values are
/// broadcast straight from where they lie and B is read in place, row by row when it is stored [k, n],
/// or as dot products along its contiguous rows when it is stored transposed [n, k].
/// </summary>
internal static unsafe class GemmSmall
{
    public const int MaxRows = 4;

    [ThreadStatic] private static byte[]? t_rowsOfA;

    // Compiled fully optimised at once: hot from the first call, so short runs see the steady-state kernel.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TV>(in GemmArgs<T> g)
        where T : unmanaged, INumber<T>
        where TV : struct, IGemmVector<TV, T>
    {
        if (!g.TransposeB)
        {
            RowTimesMatrix<T, TV>(g);
            return;
        }
        T* a = g.A;
        nint lda = g.Lda;
        if (g.TransposeA)
        {
            // A stored [k, m]: gather its m columns into contiguous rows once (m * k values) so the dot
            // products below run along unit stride.
            int bytes = g.M * g.K * sizeof(T) + 64;
            if (t_rowsOfA is null || t_rowsOfA.Length < bytes)
                t_rowsOfA = GC.AllocateUninitializedArray<byte>(Math.Max(bytes, 4096), pinned: true);
            T* rows = (T*)Unsafe.AsPointer(ref t_rowsOfA[0]);
            for (int p = 0; p < g.K; p++)
                for (int i = 0; i < g.M; i++)
                    rows[i * g.K + p] = g.A[p * g.Lda + i];
            a = rows;
            lda = g.K;
        }
        RowsDotRows<T, TV>(g.M, g.N, g.K, a, lda, g.B, g.Ldb, g.C, g.Ldc, g.Accumulate);
    }

    /// <summary>C[m, n] (+)= op(A)[m, k] · B[k, n] with B stored row-major, m &lt;= 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowTimesMatrix<T, TV>(in GemmArgs<T> g)
        where T : unmanaged, INumber<T>
        where TV : struct, IGemmVector<TV, T>
    {
        int m = g.M, n = g.N, k = g.K;
        nint w = TV.Count;
        // Element (i, p) of op(A) is at a_i + p * step.
        nint step = g.TransposeA ? g.Lda : 1;
        nint rowStride = g.TransposeA ? 1 : g.Lda;
        T* a0 = g.A, a1 = a0 + rowStride, a2 = a1 + rowStride, a3 = a2 + rowStride;
        T* b = g.B;
        nint ldb = g.Ldb;
        nint ldc = g.Ldc;

        int j = 0;
        // Four vectors of columns at a time: up to 16 accumulators, one pass over those columns of B.
        for (; j + 4 * w <= n; j += (int)(4 * w))
        {
            TV c00 = TV.Zero, c01 = TV.Zero, c02 = TV.Zero, c03 = TV.Zero, c10 = TV.Zero, c11 = TV.Zero, c12 = TV.Zero, c13 = TV.Zero;
            TV c20 = TV.Zero, c21 = TV.Zero, c22 = TV.Zero, c23 = TV.Zero, c30 = TV.Zero, c31 = TV.Zero, c32 = TV.Zero, c33 = TV.Zero;
            T* bp = b + j;
            for (nint p = 0; p < k; p++, bp += ldb)
            {
                TV b0 = TV.Load(bp), b1 = TV.Load(bp + w), b2 = TV.Load(bp + 2 * w), b3 = TV.Load(bp + 3 * w);
                TV x = TV.Broadcast(a0 + p * step);
                c00 = TV.MultiplyAdd(x, b0, c00); c01 = TV.MultiplyAdd(x, b1, c01); c02 = TV.MultiplyAdd(x, b2, c02); c03 = TV.MultiplyAdd(x, b3, c03);
                if (m > 1)
                {
                    x = TV.Broadcast(a1 + p * step);
                    c10 = TV.MultiplyAdd(x, b0, c10); c11 = TV.MultiplyAdd(x, b1, c11); c12 = TV.MultiplyAdd(x, b2, c12); c13 = TV.MultiplyAdd(x, b3, c13);
                    if (m > 2)
                    {
                        x = TV.Broadcast(a2 + p * step);
                        c20 = TV.MultiplyAdd(x, b0, c20); c21 = TV.MultiplyAdd(x, b1, c21); c22 = TV.MultiplyAdd(x, b2, c22); c23 = TV.MultiplyAdd(x, b3, c23);
                        if (m > 3)
                        {
                            x = TV.Broadcast(a3 + p * step);
                            c30 = TV.MultiplyAdd(x, b0, c30); c31 = TV.MultiplyAdd(x, b1, c31); c32 = TV.MultiplyAdd(x, b2, c32); c33 = TV.MultiplyAdd(x, b3, c33);
                        }
                    }
                }
            }
            T* cp = g.C + j;
            Put<T, TV>(cp, w, g.Accumulate, c00, c01, c02, c03);
            if (m > 1) Put<T, TV>(cp + ldc, w, g.Accumulate, c10, c11, c12, c13);
            if (m > 2) Put<T, TV>(cp + 2 * ldc, w, g.Accumulate, c20, c21, c22, c23);
            if (m > 3) Put<T, TV>(cp + 3 * ldc, w, g.Accumulate, c30, c31, c32, c33);
        }
        // One vector of columns at a time.
        for (; j + w <= n; j += (int)w)
        {
            TV c0 = TV.Zero, c1 = TV.Zero, c2 = TV.Zero, c3 = TV.Zero;
            T* bp = b + j;
            for (nint p = 0; p < k; p++, bp += ldb)
            {
                TV b0 = TV.Load(bp);
                c0 = TV.MultiplyAdd(TV.Broadcast(a0 + p * step), b0, c0);
                if (m > 1) c1 = TV.MultiplyAdd(TV.Broadcast(a1 + p * step), b0, c1);
                if (m > 2) c2 = TV.MultiplyAdd(TV.Broadcast(a2 + p * step), b0, c2);
                if (m > 3) c3 = TV.MultiplyAdd(TV.Broadcast(a3 + p * step), b0, c3);
            }
            T* cp = g.C + j;
            Put1<T, TV>(cp, g.Accumulate, c0);
            if (m > 1) Put1<T, TV>(cp + ldc, g.Accumulate, c1);
            if (m > 2) Put1<T, TV>(cp + 2 * ldc, g.Accumulate, c2);
            if (m > 3) Put1<T, TV>(cp + 3 * ldc, g.Accumulate, c3);
        }
        // Fewer than one vector of columns left.
        for (; j < n; j++)
        {
            for (int i = 0; i < m; i++)
            {
                T* ai = g.A + i * rowStride;
                T sum = T.Zero;
                for (nint p = 0; p < k; p++) sum += ai[p * step] * b[p * ldb + j];
                T* cij = g.C + i * ldc + j;
                *cij = g.Accumulate ? *cij + sum : sum;
            }
        }
    }

    /// <summary>C[i, j] (+)= dot(A row i, B row j) over k: A [m, k] and B [n, k] both row-major, m &lt;= 4.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RowsDotRows<T, TV>(int m, int n, int k, T* a, nint lda, T* b, nint ldb, T* c, nint ldc, bool accumulate)
        where T : unmanaged, INumber<T>
        where TV : struct, IGemmVector<TV, T>
    {
        int w = TV.Count;
        int kv = k / w * w;
        for (int i0 = 0; i0 < m; i0 += 2)
        {
            // Two rows of A against four rows of B: 8 accumulators, 6 loads per 8 FMAs.
            bool two = i0 + 1 < m;
            T* x0 = a + i0 * lda;
            T* x1 = two ? x0 + lda : x0;
            int j = 0;
            for (; j + 4 <= n; j += 4)
            {
                T* y0 = b + j * ldb, y1 = y0 + ldb, y2 = y1 + ldb, y3 = y2 + ldb;
                TV s00 = TV.Zero, s01 = TV.Zero, s02 = TV.Zero, s03 = TV.Zero, s10 = TV.Zero, s11 = TV.Zero, s12 = TV.Zero, s13 = TV.Zero;
                for (int p = 0; p < kv; p += w)
                {
                    TV v0 = TV.Load(y0 + p), v1 = TV.Load(y1 + p), v2 = TV.Load(y2 + p), v3 = TV.Load(y3 + p);
                    TV u = TV.Load(x0 + p);
                    s00 = TV.MultiplyAdd(u, v0, s00); s01 = TV.MultiplyAdd(u, v1, s01); s02 = TV.MultiplyAdd(u, v2, s02); s03 = TV.MultiplyAdd(u, v3, s03);
                    u = TV.Load(x1 + p);
                    s10 = TV.MultiplyAdd(u, v0, s10); s11 = TV.MultiplyAdd(u, v1, s11); s12 = TV.MultiplyAdd(u, v2, s12); s13 = TV.MultiplyAdd(u, v3, s13);
                }
                T* c0 = c + i0 * ldc + j;
                Finish(c0, accumulate, TV.Sum(s00), x0, y0, kv, k);
                Finish(c0 + 1, accumulate, TV.Sum(s01), x0, y1, kv, k);
                Finish(c0 + 2, accumulate, TV.Sum(s02), x0, y2, kv, k);
                Finish(c0 + 3, accumulate, TV.Sum(s03), x0, y3, kv, k);
                if (two)
                {
                    T* c1 = c0 + ldc;
                    Finish(c1, accumulate, TV.Sum(s10), x1, y0, kv, k);
                    Finish(c1 + 1, accumulate, TV.Sum(s11), x1, y1, kv, k);
                    Finish(c1 + 2, accumulate, TV.Sum(s12), x1, y2, kv, k);
                    Finish(c1 + 3, accumulate, TV.Sum(s13), x1, y3, kv, k);
                }
            }
            for (; j < n; j++)
            {
                T* y = b + j * ldb;
                TV s0 = TV.Zero, s1 = TV.Zero;
                for (int p = 0; p < kv; p += w)
                {
                    TV v = TV.Load(y + p);
                    s0 = TV.MultiplyAdd(TV.Load(x0 + p), v, s0);
                    s1 = TV.MultiplyAdd(TV.Load(x1 + p), v, s1);
                }
                Finish(c + i0 * ldc + j, accumulate, TV.Sum(s0), x0, y, kv, k);
                if (two) Finish(c + (i0 + 1) * ldc + j, accumulate, TV.Sum(s1), x1, y, kv, k);
            }
        }
    }

    /// <summary>Adds the scalar tail of the dot product (k not a multiple of the vector width) and stores.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish<T>(T* c, bool accumulate, T sum, T* x, T* y, int from, int k)
        where T : unmanaged, INumber<T>
    {
        for (int p = from; p < k; p++) sum += x[p] * y[p];
        *c = accumulate ? *c + sum : sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<T, TV>(T* c, nint w, bool accumulate, TV v0, TV v1, TV v2, TV v3)
        where T : unmanaged, INumber<T>
        where TV : struct, IGemmVector<TV, T>
    {
        Put1<T, TV>(c, accumulate, v0);
        Put1<T, TV>(c + w, accumulate, v1);
        Put1<T, TV>(c + 2 * w, accumulate, v2);
        Put1<T, TV>(c + 3 * w, accumulate, v3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put1<T, TV>(T* c, bool accumulate, TV v)
        where T : unmanaged, INumber<T>
        where TV : struct, IGemmVector<TV, T>
    {
        TV.Store(c, accumulate ? TV.Add(TV.Load(c), v) : v);
    }
}
