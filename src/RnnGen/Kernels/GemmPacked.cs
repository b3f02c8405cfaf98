using System.Numerics;
using System.Runtime.CompilerServices;

namespace RnnGen.Kernels;

/// <summary>A product on a pre-packed B, described by raw pointers so a block of it can go to another thread.</summary>
internal unsafe struct PackedArgs<T>
    where T : unmanaged
{
    public bool TransposeA, Accumulate;
    /// <summary>Rows and columns of this block of C, and the full inner dimension.</summary>
    public int M, N, K;
    /// <summary>op(A) row 0 of this block; C element (0, 0) of this block.</summary>
    public T* A, C;
    public nint Lda, Ldc;
    /// <summary>The packed matrix's first value, its block stride (padded n) and block depth.</summary>
    public T* B;
    public int PaddedColumns, BlockDepth;
    /// <summary>The column of op(B) this block starts at: a multiple of the panel width.</summary>
    public int Column;

    /// <summary>The rows [row, row + rows) and columns [col, col + cols) of C (col a multiple of NR).</summary>
    public readonly PackedArgs<T> Block(int row, int rows, int col, int cols)
    {
        PackedArgs<T> r = this;
        r.M = rows;
        r.N = cols;
        r.A = TransposeA ? A + row : A + row * Lda;
        r.C = C + row * Ldc + col;
        r.Column = Column + col;
        return r;
    }

    /// <summary>The panel of block <paramref name="pc"/> (k offset, a multiple of the block depth) that holds
    /// column <paramref name="col"/> (relative to this block, a multiple of NR), <paramref name="kc"/> deep.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly T* Panel(int pc, int kc, int col) => B + (nint)pc * PaddedColumns + (nint)(Column + col) * kc;
}

/// <summary>
/// The loops around the micro-kernel when B is already packed (<see cref="PackedMatrix{T}"/>): k in blocks
/// of the packed depth, rows in MC blocks of packed A, then the packed NR panels against MR panels of A.
/// Nothing of B is copied; a few-row product skips packing A too and broadcasts it from where it lies.
/// </summary>
internal static unsafe class GemmPacked
{
    public static void Run<T>(GemmIsa isa, in PackedArgs<T> g)
        where T : unmanaged, INumber<T>
    {
        switch (isa)
        {
            case GemmIsa.Vector512: Run<T, GemmVector512<T>>(g); break;
            case GemmIsa.Vector256: Run<T, GemmVector256<T>>(g); break;
            default: Run<T, GemmScalar<T>>(g); break;
        }
    }

    // Compiled fully optimised at once: hot from the first call, so short runs see the steady-state kernel.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Run<T, TV>(in PackedArgs<T> g)
        where T : unmanaged, INumber<T>
        where TV : struct, IGemmVector<TV, T>
    {
        if (g.M <= GemmSmall.MaxRows)
        {
            FewRows<T, TV>(g);
            return;
        }
        int mr = TV.Rows;
        int nr = 2 * TV.Count;
        int kcMax = g.BlockDepth;
        int mcMax = Math.Max(mr, GemmDriver.McBytes / sizeof(T) / mr * mr);
        int m = g.M, n = g.N, k = g.K;
        T* packA = GemmDriver.PackABuffer<T>(GemmPacking.RoundUp(Math.Min(m, mcMax), mr) * Math.Min(k, kcMax));

        for (int pc = 0; pc < k; pc += kcMax)
        {
            int kc = Math.Min(kcMax, k - pc);
            bool add = g.Accumulate || pc > 0;
            for (int ic = 0; ic < m; ic += mcMax)
            {
                int mc = Math.Min(mcMax, m - ic);
                T* aBlock = g.TransposeA ? g.A + pc * g.Lda + ic : g.A + ic * g.Lda + pc;
                GemmPacking.PackA<T, TV>(g.TransposeA, mc, kc, aBlock, g.Lda, packA);
                for (int jr = 0; jr < n; jr += nr)
                {
                    int cols = Math.Min(nr, n - jr);
                    T* bPanel = g.Panel(pc, kc, jr);
                    T* cPanel = g.C + ic * g.Ldc + jr;
                    for (int ir = 0; ir < mc; ir += mr)
                    {
                        int rows = Math.Min(mr, mc - ir);
                        T* aPanel = packA + ir * kc;
                        if (rows == mr && cols == nr)
                            GemmKernels.MicroKernel<T, TV>(kc, aPanel, bPanel, nr, cPanel + ir * g.Ldc, g.Ldc, add);
                        else if (rows <= 4 && cols == nr && mr > 4)
                            FourRows<T, TV>(kc, aPanel, bPanel, cPanel + ir * g.Ldc, g.Ldc, add, rows);
                        else
                            GemmKernels.EdgeKernel<T, TV>(kc, aPanel, bPanel, nr, cPanel + ir * g.Ldc, g.Ldc, add, rows, cols);
                    }
                }
            }
        }
    }

    /// <summary>
    /// The ragged bottom tile of a batch (20 rows = 8 + 8 + 4) when at most 4 rows are left: the micro-kernel
    /// cut to 4 rows of the packed A panel (still MR values per step), 8 accumulators instead of 16, so the
    /// zero rows padding the panel cost nothing. Stores only the valid rows, straight into C.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FourRows<T, TV>(nint kc, T* a, T* b, T* c, nint ldc, bool add, int rows)
        where T : unmanaged, INumber<T>
        where TV : struct, IGemmVector<TV, T>
    {
        int mr = TV.Rows;
        nint w = TV.Count;
        nint nr = 2 * w;
        TV c00 = TV.Zero, c01 = TV.Zero, c10 = TV.Zero, c11 = TV.Zero, c20 = TV.Zero, c21 = TV.Zero, c30 = TV.Zero, c31 = TV.Zero;
        for (nint p = 0; p < kc; p++)
        {
            TV b0 = TV.Load(b);
            TV b1 = TV.Load(b + w);
            TV x = TV.Broadcast(a);
            c00 = TV.MultiplyAdd(x, b0, c00); c01 = TV.MultiplyAdd(x, b1, c01);
            x = TV.Broadcast(a + 1);
            c10 = TV.MultiplyAdd(x, b0, c10); c11 = TV.MultiplyAdd(x, b1, c11);
            x = TV.Broadcast(a + 2);
            c20 = TV.MultiplyAdd(x, b0, c20); c21 = TV.MultiplyAdd(x, b1, c21);
            x = TV.Broadcast(a + 3);
            c30 = TV.MultiplyAdd(x, b0, c30); c31 = TV.MultiplyAdd(x, b1, c31);
            a += mr;
            b += nr;
        }
        Put<T, TV>(c, w, add, c00, c01);
        if (rows > 1) Put<T, TV>(c + ldc, w, add, c10, c11);
        if (rows > 2) Put<T, TV>(c + 2 * ldc, w, add, c20, c21);
        if (rows > 3) Put<T, TV>(c + 3 * ldc, w, add, c30, c31);
    }

    /// <summary>
    /// C[m, n] (+)= op(A)[m, k] · B for m &lt;= 4: one panel of columns at a time, its m x NR sums held in
    /// registers across every block of k, A's values broadcast in place. Bound by streaming the packed B.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void FewRows<T, TV>(in PackedArgs<T> g)
        where T : unmanaged, INumber<T>
        where TV : struct, IGemmVector<TV, T>
    {
        int m = g.M, n = g.N, k = g.K;
        nint w = TV.Count;
        int nr = 2 * TV.Count;
        int kcMax = g.BlockDepth;
        // Element (i, p) of op(A) is at a_i + p * step.
        nint step = g.TransposeA ? g.Lda : 1;
        nint rowStride = g.TransposeA ? 1 : g.Lda;
        T* a0 = g.A, a1 = a0 + (m > 1 ? rowStride : 0), a2 = a1 + (m > 2 ? rowStride : 0), a3 = a2 + (m > 3 ? rowStride : 0);
        // 4 rows x 32 floats or 16 doubles at most: the scratch for a ragged last panel.
        T* tile = stackalloc T[GemmSmall.MaxRows * nr];
        for (int jr = 0; jr < n; jr += nr)
        {
            TV c00 = TV.Zero, c01 = TV.Zero, c10 = TV.Zero, c11 = TV.Zero, c20 = TV.Zero, c21 = TV.Zero, c30 = TV.Zero, c31 = TV.Zero;
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                T* b = g.Panel(pc, kc, jr);
                nint p = pc * step, end = (pc + kc) * step;
                for (; p < end; p += step, b += nr)
                {
                    TV b0 = TV.Load(b), b1 = TV.Load(b + w);
                    TV x = TV.Broadcast(a0 + p);
                    c00 = TV.MultiplyAdd(x, b0, c00); c01 = TV.MultiplyAdd(x, b1, c01);
                    if (m > 1)
                    {
                        x = TV.Broadcast(a1 + p);
                        c10 = TV.MultiplyAdd(x, b0, c10); c11 = TV.MultiplyAdd(x, b1, c11);
                        if (m > 2)
                        {
                            x = TV.Broadcast(a2 + p);
                            c20 = TV.MultiplyAdd(x, b0, c20); c21 = TV.MultiplyAdd(x, b1, c21);
                            if (m > 3)
                            {
                                x = TV.Broadcast(a3 + p);
                                c30 = TV.MultiplyAdd(x, b0, c30); c31 = TV.MultiplyAdd(x, b1, c31);
                            }
                        }
                    }
                }
            }
            int cols = Math.Min(nr, n - jr);
            bool whole = cols == nr;
            // A whole panel goes straight to C; a ragged one through the scratch tile, then its valid columns.
            T* dst = whole ? g.C + jr : tile;
            nint ld = whole ? g.Ldc : nr;
            bool add = whole && g.Accumulate;
            Put<T, TV>(dst, w, add, c00, c01);
            if (m > 1) Put<T, TV>(dst + ld, w, add, c10, c11);
            if (m > 2) Put<T, TV>(dst + 2 * ld, w, add, c20, c21);
            if (m > 3) Put<T, TV>(dst + 3 * ld, w, add, c30, c31);
            if (!whole)
            {
                for (int i = 0; i < m; i++)
                {
                    T* src = tile + i * nr;
                    T* c = g.C + i * g.Ldc + jr;
                    if (g.Accumulate)
                        for (int j = 0; j < cols; j++) c[j] += src[j];
                    else
                        for (int j = 0; j < cols; j++) c[j] = src[j];
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Put<T, TV>(T* c, nint w, bool add, TV v0, TV v1)
        where T : unmanaged, INumber<T>
        where TV : struct, IGemmVector<TV, T>
    {
        if (add)
        {
            v0 = TV.Add(TV.Load(c), v0);
            v1 = TV.Add(TV.Load(c + w), v1);
        }
        TV.Store(c, v0);
        TV.Store(c + w, v1);
    }
}

/// <summary>
/// Splits a product on a packed B into independent blocks of C for <see cref="GemmParallel"/>, by whole
/// packed panels of columns when C is wide enough, else by whole register tiles of rows. The job lives in
/// static fields guarded by the pool's lock, so a split allocates nothing.
/// </summary>
internal static class GemmPackedSplit<T>
    where T : unmanaged, INumber<T>
{
    private static readonly Action<int> s_body = RunPart;
    private static PackedArgs<T> s_args;
    private static GemmIsa s_isa;
    private static GemmSplitPlan s_plan;

    public static bool TryRun(GemmIsa isa, int threads, in PackedArgs<T> g)
    {
        (int mr, int nr) = Gemm.Tile<T>(isa);
        if (!GemmSplitPlan.TryCreate(g.M, g.N, threads, mr, nr, out var plan) || !GemmParallel.TryEnter())
            return false;
        try
        {
            // The job's static fields are only touched while the pool is held.
            s_args = g;
            s_isa = isa;
            s_plan = plan;
            GemmParallel.Run(plan.Parts, s_body);
        }
        finally
        {
            GemmParallel.Exit();
        }
        return true;
    }

    private static void RunPart(int part)
    {
        var (from, to) = s_plan.Range(part);
        if (from >= to)
            return;
        PackedArgs<T> block = s_plan.ByColumns
            ? s_args.Block(0, s_args.M, from, to - from)
            : s_args.Block(from, to - from, 0, s_args.N);
        GemmPacked.Run(s_isa, block);
    }
}
