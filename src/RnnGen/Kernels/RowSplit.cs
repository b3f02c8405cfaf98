using System.ComponentModel;

namespace RnnGen.Kernels;

/// <summary>
/// Runs a recurrence on both cores by splitting the batch: each core owns half of the rows for every
/// time step, so the halves never wait for each other inside the recurrence. Generated cells use it
/// when a step's products are too small to split well themselves (small hidden sizes), which keeps the
/// stacked recurrent weights hot in each core's cache instead of synchronising at every step.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static unsafe class RowSplit
{
    /// <summary>The work of one part over its rows; the spans are those given to <see cref="Run{T}"/>.</summary>
    public delegate void Body<T>(int part, int firstRow, int endRow, ReadOnlySpan<T> a, ReadOnlySpan<T> b) where T : unmanaged;

    /// <summary>The number of parts a recurrence over <paramref name="batch"/> rows should use, given the flops
    /// of one step's products: 2 when the products stay single-threaded and there are rows to share.</summary>
    public static int Parts(int batch, double stepFlops) =>
        Parallelism.MaxThreads >= 2 && batch >= 4 && stepFlops < Gemm.ParallelMinFlops ? 2 : 1;

    /// <summary>
    /// Whether the fused passes of each step should run on both cores when the recurrence itself runs on one
    /// (its products are split instead): worth the two synchronisations per step only for enough rows of work.
    /// </summary>
    public static bool PassesInParallel(int batch, int hidden) =>
        Parallelism.MaxThreads >= 2 && batch >= 2 && (long)batch * hidden >= 2048;

    /// <summary>Rows [first, end) of part <paramref name="part"/> of <paramref name="parts"/>.</summary>
    public static (int First, int End) Rows(int part, int parts, int batch) => (batch * part / parts, batch * (part + 1) / parts);

    /// <summary>
    /// Runs body(0) on the calling thread and body(1) on a worker, or both in turn when the workers are busy
    /// (the results are the same either way: a part's rows do not depend on the other part's).
    /// </summary>
    public static void Run<T>(int batch, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Body<T> body) where T : unmanaged
    {
        if (!GemmParallel.TryEnter())
        {
            for (int part = 0; part < 2; part++)
            {
                var (first, end) = Rows(part, 2, batch);
                body(part, first, end, a, b);
            }
            return;
        }
        try
        {
            // The worker rebuilds the spans from pinned pointers: spans cannot cross threads.
            fixed (T* pa = a, pb = b)
            {
                Job<T>.Set(body, batch, pa, a.Length, pb, b.Length);
                GemmParallel.Run(2, Job<T>.Invoke);
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
        private static int s_batch, s_aLength, s_bLength;
        private static T* s_a, s_b;

        public static void Set(Body<T> body, int batch, T* a, int aLength, T* b, int bLength)
        {
            s_body = body;
            s_batch = batch;
            s_a = a;
            s_b = b;
            s_aLength = aLength;
            s_bLength = bLength;
        }

        public static void Clear()
        {
            s_body = null;
            s_a = s_b = null;
        }

        private static void RunPart(int part)
        {
            var (first, end) = Rows(part, 2, s_batch);
            s_body!(part, first, end, new ReadOnlySpan<T>(s_a, s_aLength), new ReadOnlySpan<T>(s_b, s_bLength));
        }
    }
}
