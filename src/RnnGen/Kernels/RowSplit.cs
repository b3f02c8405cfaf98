using System.ComponentModel;

namespace RnnGen.Kernels;

/// <summary>
/// Shares the rows of a recurrence between threads. The batch is cut into <see cref="Blocks"/>, fixed by the
/// batch size alone; a part is a run of whole blocks, so any number of parts gives the same bits:
/// <list type="bullet">
/// <item>every block holds more than <see cref="GemmSmall.MaxRows"/> rows, so a part's products take the
/// same blocked kernels as the whole batch's, which compute each row of C the same way whatever rows are
/// computed with it;</item>
/// <item>each block sums its own rows' bias gradients, and the blocks are added in order afterwards.</item>
/// </list>
/// The recurrence driver (<c>Recurrence.RecurrenceDriver</c>) splits the batch for the whole recurrence when a step's
/// products are too small to split well themselves (small hidden sizes), which keeps the stacked recurrent weights hot
/// in each core's cache instead of synchronising at every step; otherwise it shares each step's fused passes by rows.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static unsafe class RowSplit
{
    /// <summary>The work of one part over its rows; the state and spans are those given to <c>Run</c>.</summary>
    public delegate void Body<T>(object state, int part, int firstRow, int endRow, ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged;

    /// <summary>The fewest rows of a block: one more than the few-row product kernels take.</summary>
    public const int BlockRows = GemmSmall.MaxRows + 1;

    /// <summary>Rows of a step's passes worth handing to another thread (hidden units x rows): two hand-offs per step cost about that.</summary>
    private const long PassRowsMinWork = 1024;

    /// <summary>The blocks of a batch: as many of at least <see cref="BlockRows"/> rows as fit, at least one.</summary>
    public static int Blocks(int batch) => Math.Max(1, batch / BlockRows);

    /// <summary>The first row of block <paramref name="block"/> (or the batch size for the block past the last).</summary>
    public static int BlockStart(int block, int batch) => BlockStart(block, batch, Blocks(batch));

    /// <summary>The first row of block <paramref name="block"/> of <paramref name="rows"/> rows cut into <paramref name="blocks"/>.</summary>
    public static int BlockStart(int block, int rows, int blocks) => (int)((long)rows * block / blocks);

    /// <summary>The block that holds <paramref name="row"/>: the inverse of <see cref="BlockStart(int, int)"/>.</summary>
    public static int BlockOf(int row, int batch) => BlockOf(row, batch, Blocks(batch));

    /// <summary>The block that holds <paramref name="row"/> of <paramref name="rows"/> rows cut into <paramref name="blocks"/>.</summary>
    public static int BlockOf(int row, int rows, int blocks) => (int)(((long)row + 1) * blocks - 1) / rows;

    /// <summary>The number of parts a recurrence over <paramref name="batch"/> rows should use, given the flops
    /// of one step's products: up to one per thread when those products stay single-threaded.</summary>
    public static int Parts(int batch, double stepFlops) =>
        stepFlops < Gemm.ParallelMinFlops ? Math.Min(Parallelism.MaxThreads, Blocks(batch)) : 1;

    /// <summary>
    /// The number of parts that each step's fused passes should use when the recurrence itself runs whole (its
    /// products are split instead): up to one per thread, each with enough rows to repay the two hand-offs per step.
    /// </summary>
    public static int PassParts(int batch, int hidden) =>
        (int)Math.Min(Math.Min(Parallelism.MaxThreads, Blocks(batch)), Math.Max(1, (long)batch * hidden / PassRowsMinWork));

    /// <summary>Whether each step's fused passes are shared between threads (<see cref="PassParts"/> above one).</summary>
    public static bool PassesInParallel(int batch, int hidden) => PassParts(batch, hidden) > 1;

    /// <summary>Rows [first, end) of part <paramref name="part"/> of <paramref name="parts"/>: whole blocks.</summary>
    public static (int First, int End) Rows(int part, int parts, int batch) => Rows(part, parts, batch, Blocks(batch));

    /// <summary>Rows [first, end) of part <paramref name="part"/> of <paramref name="parts"/>, whole blocks of <paramref name="blocks"/>.</summary>
    public static (int First, int End) Rows(int part, int parts, int rows, int blocks) =>
        (BlockStart(blocks * part / parts, rows, blocks), BlockStart(blocks * (part + 1) / parts, rows, blocks));

    /// <summary>
    /// Runs body(0) on the calling thread and the other parts on workers, or all in turn when the workers are
    /// busy (the results are the same either way: a part's rows do not depend on another part's).
    /// </summary>
    public static void Run<T>(int parts, int batch, ReadOnlySpan<T> a, ReadOnlySpan<T> b, object state, Body<T> body) where T : unmanaged =>
        Run(parts, batch, Blocks(batch), a, b, state, body);

    /// <summary>
    /// <see cref="Run{T}(int, int, ReadOnlySpan{T}, ReadOnlySpan{T}, object, Body{T})"/> over <paramref name="batch"/> rows cut
    /// into <paramref name="blocks"/> blocks of the caller's (a linear plan's rows of every step: Recurrence.TimeBatch).
    /// </summary>
    public static void Run<T>(int parts, int batch, int blocks, ReadOnlySpan<T> a, ReadOnlySpan<T> b, object state, Body<T> body) where T : unmanaged
    {
        parts = Math.Clamp(parts, 1, blocks);
        if (parts == 1 || !GemmParallel.TryEnter())
        {
            for (int part = 0; part < parts; part++)
            {
                var (first, end) = Rows(part, parts, batch, blocks);
                body(state, part, first, end, a, b);
            }
            return;
        }
        try
        {
            // The workers rebuild the spans from pinned pointers: spans cannot cross threads.
            fixed (T* pa = a, pb = b)
            {
                Job<T>.Set(body, state, parts, batch, blocks, pa, a.Length, pb, b.Length);
                GemmParallel.Run(parts, Job<T>.Invoke);
                Job<T>.Clear();
            }
        }
        finally
        {
            GemmParallel.Exit();
        }
    }

    /// <summary>The current job, in static fields guarded by the pool's lock, so that a split allocates nothing.</summary>
    private static class Job<T> where T : unmanaged
    {
        public static readonly Action<int> Invoke = RunPart;
        private static Body<T>? s_body;
        private static object? s_state;
        private static int s_parts, s_batch, s_blocks, s_aLength, s_bLength;
        private static T* s_a, s_b;

        public static void Set(Body<T> body, object state, int parts, int batch, int blocks, T* a, int aLength, T* b, int bLength)
        {
            s_blocks = blocks;
            s_body = body;
            s_state = state;
            s_parts = parts;
            s_batch = batch;
            s_a = a;
            s_b = b;
            s_aLength = aLength;
            s_bLength = bLength;
        }

        public static void Clear()
        {
            s_body = null;
            s_state = null;
            s_a = s_b = null;
        }

        private static void RunPart(int part)
        {
            var (first, end) = Rows(part, s_parts, s_batch, s_blocks);
            s_body!(s_state!, part, first, end, new ReadOnlySpan<T>(s_a, s_aLength), new ReadOnlySpan<T>(s_b, s_bLength));
        }
    }
}
