using RnnGen.Tests.Cells;

namespace RnnGen.Tests.Quantized;

/// <summary>
/// Products split over cores: the same bits on any number of parts, each part on its own bound thread at every call,
/// nothing allocated per call. Runs alone (the collection of <see cref="RowSplitTests"/>): it changes the thread setting.
/// </summary>
[Collection(nameof(RowSplitTests))]
public class QuantizedPartsTests
{
    private static readonly int[] ThreadCounts = [1, 2, 3, 4, 8];

    [Theory]
    [InlineData(Precision.Float32, 1)]
    [InlineData(Precision.BFloat16, 1)]
    [InlineData(Precision.Int8, 1)]
    [InlineData(Precision.Float32, 3)]
    [InlineData(Precision.Int8, 8)]
    public void A_split_product_gives_the_same_bits_on_any_number_of_threads(Precision precision, int batch)
    {
        // 203 rows: 26 panels, the last one short, so that no count of parts divides them evenly.
        const int rows = 203, columns = 301;
        var w = QuantizedReference.Weights(rows, columns, 21);
        var x = QuantizedReference.Input(batch, columns, 22);
        var matrix = QuantizedMatrix.Create(w, rows, columns, precision);
        Assert.True(matrix.WeightBytes >= QuantizedMatrix.ParallelMinBytes, "the product is big enough to split");
        var whole = new float[batch * rows];
        matrix.Multiply(x, batch, whole);
        int threads = Parallelism.MaxThreads;
        try
        {
            foreach (int t in ThreadCounts)
            {
                Parallelism.MaxThreads = t;
                long jobs = GemmParallel.JobsRun;
                var split = new float[batch * rows];
                matrix.MultiplyParallel(x, batch, split);
                Assert.Equal(whole, split);
                Assert.Equal(t > 1 ? jobs + 1 : jobs, GemmParallel.JobsRun);
            }
        }
        finally
        {
            Parallelism.MaxThreads = threads;
        }
    }

    /// <summary>
    /// Each part of a split product prepares x in the matrix's buffer for that part, made by the caller: a pool worker
    /// allocates nothing even at a wider matrix's first product. (With a buffer per thread, a worker grew its own at the
    /// first part it ran, which under load could be any token of a session's run.)
    /// </summary>
    [Theory]
    [InlineData(Precision.Float32)]
    [InlineData(Precision.BFloat16)]
    [InlineData(Precision.Int8)]
    public void A_workers_first_part_of_a_wider_product_allocates_nothing(Precision precision)
    {
        // 203 x 400: big enough to split at every precision (int8's 81 KB too).
        var narrow = QuantizedMatrix.Create(QuantizedReference.Weights(203, 400, 21), 203, 400, precision);
        // Columns beyond any other test's, so no thread has prepared an x this wide.
        const int columns = 4099;
        var wide = QuantizedMatrix.Create(QuantizedReference.Weights(64, columns, 23), 64, columns, precision);
        int threads = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 8;
            narrow.MultiplyParallel(QuantizedReference.Input(1, 400, 22), 1, new float[203]);
            // Every worker multiplies by the narrow matrix once, on its own thread, so what it runs for the first time in
            // the process (code, statics) is behind it: what is left to see is the buffer of the wider product.
            var warm = new EveryWorker(narrow, QuantizedReference.Input(1, 400, 22), Environment.CurrentManagedThreadId, new int[8]);
            QuantizedParts.Run(8, warm);
            var x = QuantizedReference.Input(1, columns, 24);
            var y = new float[64];
            long workers = GemmParallel.WorkerAllocatedBytes, jobs = GemmParallel.JobsRun;
            wide.MultiplyParallel(x, 1, y);
            Assert.Equal(jobs + 1, GemmParallel.JobsRun);
            Assert.Equal(0, GemmParallel.WorkerAllocatedBytes - workers);
            var whole = new float[64];
            wide.Multiply(x, 1, whole);
            Assert.Equal(whole, y);
        }
        finally
        {
            Parallelism.MaxThreads = threads;
        }
    }

    /// <summary>A region whose every worker multiplies by a matrix on its own thread; the caller's part waits for them
    /// (seconds at most), so that it does not take their parts over before they wake.</summary>
    private readonly struct EveryWorker(QuantizedMatrix matrix, float[] x, int caller, int[] done) : IPartBody
    {
        public void Run(int part, int parts)
        {
            if (Environment.CurrentManagedThreadId != caller)
            {
                matrix.Multiply(x, 1, new float[matrix.Rows]);
                Volatile.Write(ref done[part], 1);
            }
            else if (part == 0)
            {
                var all = done;
                SpinWait.SpinUntil(() => all.Skip(1).All(d => d == 1), TimeSpan.FromSeconds(5));
            }
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(8)]
    public void The_parts_cover_the_rows_in_whole_panels(int parts)
    {
        var matrix = QuantizedMatrix.Create(new float[203 * 3], 203, 3, Precision.BFloat16);
        int next = 0;
        for (int p = 0; p < parts; p++)
        {
            var (first, end) = matrix.PartRows(p, parts);
            Assert.Equal(next, first);
            Assert.True(first % QuantizedMatrix.PanelRows == 0);
            Assert.True(end > first);
            next = end;
        }
        Assert.Equal(203, next);
    }

    /// <summary>
    /// Part p runs on worker p, or on the caller when that worker was late: never on another worker, so a part's
    /// weights have one core to stay on. Every part runs once per region.
    /// </summary>
    [Fact]
    public void Each_part_runs_on_its_own_thread_or_the_callers_and_once_per_region()
    {
        const int parts = 4;
        var threadsOfPart = new HashSet<int>[parts];
        for (int p = 0; p < parts; p++)
            threadsOfPart[p] = [];
        int caller = Environment.CurrentManagedThreadId;
        for (int call = 0; call < 200; call++)
        {
            var ids = new int[parts];
            var counts = new int[parts];
            QuantizedParts.Run(parts, new Recorder(ids, counts));
            for (int p = 0; p < parts; p++)
            {
                Assert.Equal(1, counts[p]);
                threadsOfPart[p].Add(ids[p]);
            }
        }
        Assert.Equal([caller], threadsOfPart[0]);
        var workers = new HashSet<int>();
        for (int p = 1; p < parts; p++)
        {
            threadsOfPart[p].Remove(caller);
            Assert.True(threadsOfPart[p].Count <= 1, $"part {p} ran on {threadsOfPart[p].Count} different workers");
            foreach (int id in threadsOfPart[p])
                Assert.True(workers.Add(id), $"part {p} shares its worker with another part");
        }
    }

    [Fact]
    public void A_region_inside_a_region_runs_its_parts_in_turn_and_a_part_s_exception_reaches_the_caller()
    {
        var counts = new int[3];
        QuantizedParts.Run(2, new Nested(counts));
        Assert.Equal([2, 2, 2], counts);
        var e = Assert.Throws<InvalidOperationException>(() => QuantizedParts.Run(3, new Throwing(2)));
        Assert.Equal("part 2", e.Message);
        // The pool is free again afterwards.
        var ids = new int[2];
        var again = new int[2];
        QuantizedParts.Run(2, new Recorder(ids, again));
        Assert.Equal([1, 1], again);
    }

    /// <summary>
    /// After each thread's first product (its input buffer), neither the caller nor the workers allocate: warmed up
    /// until every part has run on its worker, since on a busy machine the caller may have taken a late worker's part.
    /// </summary>
    [Fact]
    public void A_split_product_allocates_nothing_after_the_first()
    {
        var matrix = QuantizedMatrix.Create(QuantizedReference.Weights(256, 512, 23), 256, 512, Precision.Int8);
        var x = QuantizedReference.Input(1, 512, 24);
        var y = new float[256];
        int threads = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 2;
            var ids = new int[2];
            int caller = Environment.CurrentManagedThreadId;
            for (int i = 0; i < 10_000 && (ids[1] == 0 || ids[1] == caller); i++)
                QuantizedParts.Run(2, new ProductPart(matrix, x, y, ids));
            Assert.NotEqual(caller, ids[1]);
            matrix.MultiplyParallel(x, 1, y);
            long before = GC.GetAllocatedBytesForCurrentThread();
            long workersBefore = GemmParallel.WorkerAllocatedBytes;
            for (int i = 0; i < 50; i++)
            {
                matrix.MultiplyParallel(x, 1, y);
                QuantizedParts.Run(2, new ProductPart(matrix, x, y, ids));
            }
            Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
            Assert.Equal(workersBefore, GemmParallel.WorkerAllocatedBytes);
        }
        finally
        {
            Parallelism.MaxThreads = threads;
        }
    }

    /// <summary>A part's rows of a product, as a region's part runs them, noting its thread.</summary>
    private readonly struct ProductPart(QuantizedMatrix matrix, float[] x, float[] y, int[] ids) : IPartBody
    {
        public void Run(int part, int parts)
        {
            var (first, end) = matrix.PartRows(part, parts);
            matrix.MultiplyRows(x, 1, y, first, end);
            ids[part] = Environment.CurrentManagedThreadId;
        }
    }

    private readonly struct Recorder(int[] ids, int[] counts) : IPartBody
    {
        public void Run(int part, int parts)
        {
            ids[part] = Environment.CurrentManagedThreadId;
            Interlocked.Increment(ref counts[part]);
        }
    }

    private readonly struct Nested(int[] counts) : IPartBody
    {
        public void Run(int part, int parts) => QuantizedParts.Run(3, new Counter(counts));
    }

    private readonly struct Counter(int[] counts) : IPartBody
    {
        public void Run(int part, int parts) => Interlocked.Increment(ref counts[part]);
    }

    private readonly struct Throwing(int bad) : IPartBody
    {
        public void Run(int part, int parts)
        {
            if (part == bad)
                throw new InvalidOperationException($"part {part}");
        }
    }
}
