using System.Numerics;
using System.Runtime.CompilerServices;

namespace RnnGen.Kernels;

/// <summary>One product, described by raw pointers so a block of it can be handed to another thread.</summary>
internal unsafe struct GemmArgs<T>
    where T : unmanaged
{
    public bool TransposeA, TransposeB, Accumulate;
    public int M, N, K;
    public T* A, B, C;
    public nint Lda, Ldb, Ldc;

    /// <summary>The rows [row, row + rows) and columns [col, col + cols) of C: an independent sub-product.</summary>
    public readonly GemmArgs<T> Block(int row, int rows, int col, int cols)
    {
        GemmArgs<T> r = this;
        r.M = rows;
        r.N = cols;
        r.A = TransposeA ? A + row : A + row * Lda;
        r.B = TransposeB ? B + col * Ldb : B + col;
        r.C = C + row * Ldc + col;
        return r;
    }
}

/// <summary>
/// The blocked loops around the micro-kernel, in the order BLIS uses: columns of C in NC blocks
/// (a KC x NC block of packed B sits in L3), k in KC steps, rows in MC blocks (an MC x KC block of
/// packed A sits in L2), then NR-wide panels of B (one KC x NR panel sits in L1) against MR-high
/// panels of A. Single-threaded: parallelism splits C before it gets here.
/// </summary>
internal static unsafe class GemmDriver
{
    /// <summary>Products with at most this many rows read B in place instead of packing it: each B panel is
    /// reused only m / MR times, too few to repay a copy.</summary>
    internal const int DirectBMaxRows = 64;

    // Blocking in bytes, so float and double share the cache geometry (Zen 5: 48 KiB L1d, 1 MiB L2 per core).
    // One KC x NR panel of B: 256 floats x 32 = 32 KiB, leaving L1 room for the A panel streaming past.
    internal const int KcBytes = 1024;
    // One MC x KC block of A: 192 x 256 floats = 192 KiB, well inside L2 next to B panels in flight.
    internal const int McBytes = 768;
    // One KC x NC block of B: 256 x 2048 floats = 2 MiB, a slice of L3.
    private const int NcBytes = 8192;

    [ThreadStatic] private static byte[]? t_packA;
    [ThreadStatic] private static byte[]? t_packB;

    // Compiled fully optimised at once: hot from the first call, so short runs see the steady-state kernel.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run<T, TV>(in GemmArgs<T> g)
        where T : unmanaged, INumber<T>
        where TV : struct, IGemmVector<TV, T>
    {
        int mr = TV.Rows;
        int nr = 2 * TV.Count;
        int kcMax = KcBytes / sizeof(T);
        int mcMax = Math.Max(mr, McBytes / sizeof(T) / mr * mr);
        int ncMax = GemmPacking.RoundUp(NcBytes / sizeof(T), nr);
        int m = g.M, n = g.N, k = g.K;

        bool directB = !g.TransposeB && m <= DirectBMaxRows;
        int kcAlloc = Math.Min(k, kcMax);
        T* packA = Buffer<T>(ref t_packA, GemmPacking.RoundUp(Math.Min(m, mcMax), mr) * kcAlloc, PackABytes);
        // Reading B in place still needs one packed panel for the ragged right edge.
        T* packB = Buffer<T>(ref t_packB, (directB ? nr : GemmPacking.RoundUp(Math.Min(n, ncMax), nr)) * kcAlloc, PackBBytes);

        for (int jc = 0; jc < n; jc += ncMax)
        {
            int nc = Math.Min(ncMax, n - jc);
            for (int pc = 0; pc < k; pc += kcMax)
            {
                int kc = Math.Min(kcMax, k - pc);
                bool add = g.Accumulate || pc > 0;
                // op(B)[pc.., jc..]
                T* bBlock = g.TransposeB ? g.B + jc * g.Ldb + pc : g.B + pc * g.Ldb + jc;
                if (directB)
                {
                    int full = nc / nr * nr;
                    if (full < nc)
                        GemmPacking.PackB<T, TV>(false, kc, nc - full, bBlock + full, g.Ldb, packB);
                }
                else
                {
                    GemmPacking.PackB<T, TV>(g.TransposeB, kc, nc, bBlock, g.Ldb, packB);
                }

                for (int ic = 0; ic < m; ic += mcMax)
                {
                    int mc = Math.Min(mcMax, m - ic);
                    T* aBlock = g.TransposeA ? g.A + pc * g.Lda + ic : g.A + ic * g.Lda + pc;
                    GemmPacking.PackA<T, TV>(g.TransposeA, mc, kc, aBlock, g.Lda, packA);

                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int cols = Math.Min(nr, nc - jr);
                        T* bPanel;
                        nint bStride;
                        if (directB && cols == nr)
                        {
                            bPanel = bBlock + jr;
                            bStride = g.Ldb;
                        }
                        else
                        {
                            bPanel = directB ? packB : packB + jr * kc;
                            bStride = nr;
                        }
                        T* cPanel = g.C + ic * g.Ldc + jc + jr;
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int rows = Math.Min(mr, mc - ir);
                            T* aPanel = packA + ir * kc;
                            if (rows == mr && cols == nr)
                                GemmKernels.MicroKernel<T, TV>(kc, aPanel, bPanel, bStride, cPanel + ir * g.Ldc, g.Ldc, add);
                            else
                                GemmKernels.EdgeKernel<T, TV>(kc, aPanel, bPanel, bStride, cPanel + ir * g.Ldc, g.Ldc, add, rows, cols);
                        }
                    }
                }
            }
        }
    }

    /// <summary>This thread's buffer for packed blocks of A, shared with the products on a pre-packed B.</summary>
    internal static T* PackABuffer<T>(int elements)
        where T : unmanaged => Buffer<T>(ref t_packA, elements, PackABytes);

    /// <summary>
    /// Makes this thread's pack buffers at their full size now. A pool worker does so when it starts: were they made
    /// at its first packed product instead, a worker that the OS left unscheduled through a warm-up (its parts taken
    /// over by the caller) would allocate them at some later token, in the middle of a run that allocates nothing.
    /// </summary>
    internal static void ReserveBuffers()
    {
        Buffer<float>(ref t_packA, 0, PackABytes);
        Buffer<float>(ref t_packB, 0, PackBBytes);
    }

    /// <summary>Whether this thread's pack buffers are at their full size (no packed product can grow them).</summary>
    internal static bool HoldsFullBuffers =>
        t_packA is { } a && a.Length >= PackABytes + 64 && t_packB is { } b && b.Length >= PackBBytes + 64;

    /// <summary>
    /// The largest blocks of A (MC x KC) and B (KC x NC) any product packs, in float, the smallest element: the sizes
    /// this thread's buffers start at. Grown to each product's need instead, they grew in the middle of a warm run
    /// whenever this thread ran another part of a split product (a worker not scheduled yet, under load): a larger
    /// block than its own part's.
    /// </summary>
    private const int PackABytes = McBytes * KcBytes / sizeof(float), PackBBytes = NcBytes * KcBytes / sizeof(float);

    /// <summary>
    /// This thread's pack buffer, grown on demand and then reused, so a warmed-up product allocates nothing.
    /// It lives on the pinned heap (the pointer stays valid) and is aligned to 64 bytes for whole-line loads.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T* Buffer<T>(ref byte[]? buffer, int elements, int minimumBytes)
        where T : unmanaged
    {
        int bytes = elements * sizeof(T) + 64;
        if (buffer is null || buffer.Length < bytes)
            buffer = GC.AllocateUninitializedArray<byte>(Math.Max(bytes, minimumBytes + 64), pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref buffer[0]);
        return (T*)((address + 63) & ~(nint)63);
    }
}
