using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using RnnGen.Kernels;

namespace RnnGen.Tests.Kernels;

public class GemmTests
{
    // Shapes around the register tiles (MR 8/6/4, NR 32/16/2), the cache blocks (KC 256 floats / 128
    // doubles, MC 192 / 96, NC 2048 / 1024), the few-rows path (m <= 4), primes, and sizes that split
    // across threads by columns or by rows.
    public static readonly TheoryData<int, int, int> Shapes = new()
    {
        { 0, 5, 7 }, { 5, 0, 7 }, { 5, 7, 0 }, { 1, 1, 1 }, { 1, 37, 13 }, { 2, 64, 100 }, { 3, 33, 17 },
        { 4, 129, 65 }, { 5, 31, 33 }, { 7, 32, 1 }, { 8, 32, 256 }, { 9, 33, 257 }, { 13, 17, 19 },
        { 17, 97, 300 }, { 31, 63, 129 }, { 64, 65, 130 }, { 65, 100, 64 }, { 193, 40, 70 }, { 6, 1030, 9 },
        { 9, 2100, 5 }, { 2, 1100, 300 }, { 96, 300, 200 }, { 400, 100, 100 }, { 70, 130, 300 },
    };

    internal static IEnumerable<GemmIsa> Isas()
    {
        yield return GemmIsa.Scalar;
        if (Vector256.IsHardwareAccelerated) yield return GemmIsa.Vector256;
        if (Vector512.IsHardwareAccelerated && Avx512F.IsSupported) yield return GemmIsa.Vector512;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float_matches_the_reference_on_every_kernel_and_layout(int m, int n, int k) =>
        CheckAllLayouts<float>(m, n, k, tolerance: 1e-5);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Double_matches_the_reference_on_every_kernel_and_layout(int m, int n, int k) =>
        CheckAllLayouts<double>(m, n, k, tolerance: 1e-13);

    [Fact]
    public void Public_entry_points_match_the_reference()
    {
        var rng = new Random(7);
        foreach (var (m, n, k) in new[] { (1, 384, 128), (32, 384, 128), (40, 300, 200) })
        {
            float[] a = Random<float>(rng, m * k), b = Random<float>(rng, k * n);
            float[] c = new float[m * n], expected = new float[m * n];
            Gemm.Multiply(false, false, m, n, k, a, k, b, n, c, n, accumulate: false);
            Gemm.Reference<float>(false, false, m, n, k, a, k, b, n, expected, n, accumulate: false);
            AssertClose(expected, c, ErrorBound(a, b, false, false, m, n, k, k, n, n, null), n, n, 1e-5, "float");

            double[] ad = Random<double>(rng, m * k), bd = Random<double>(rng, n * k);
            double[] cd = Random<double>(rng, m * n), expectedD = (double[])cd.Clone(), before = (double[])cd.Clone();
            Gemm.Multiply<double>(false, true, m, n, k, ad, k, bd, k, cd, n, accumulate: true);
            Gemm.Reference<double>(false, true, m, n, k, ad, k, bd, k, expectedD, n, accumulate: true);
            AssertClose(expectedD, cd, ErrorBound(ad, bd, false, true, m, n, k, k, k, n, before), n, n, 1e-13, "double");
        }
    }

    [Fact]
    public void Operands_too_short_for_the_shape_are_rejected()
    {
        var a = new float[6];
        var b = new float[6];
        var c = new float[4];
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(false, false, 2, 2, 4, a, 4, b, 2, c, 2, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(false, false, 2, 2, 3, a, 2, b, 2, c, 2, false));
        Assert.Throws<NotSupportedException>(() => Gemm.Multiply<int>(false, false, 1, 1, 1, new int[1], 1, new int[1], 1, new int[1], 1, false));
    }

    internal static void CheckAllLayouts<T>(int m, int n, int k, double tolerance)
        where T : unmanaged, INumber<T>
    {
        var rng = new Random(HashCode.Combine(m, n, k));
        foreach (bool transposeA in new[] { false, true })
        foreach (bool transposeB in new[] { false, true })
        foreach (bool accumulate in new[] { false, true })
        {
            // Leading dimensions larger than the minimum on every other layout, to catch stride mix-ups.
            int pad = transposeA ^ transposeB ? 3 : 0;
            int lda = (transposeA ? m : k) + pad, ldb = (transposeB ? k : n) + pad, ldc = n + pad;
            int aRows = transposeA ? k : m, bRows = transposeB ? n : k;
            T[] a = Random<T>(rng, Math.Max(0, aRows * lda));
            T[] b = Random<T>(rng, Math.Max(0, bRows * ldb));
            T[] before = Random<T>(rng, m * ldc);
            T[] expected = (T[])before.Clone();
            Gemm.Reference<T>(transposeA, transposeB, m, n, k, a, lda, b, ldb, expected, ldc, accumulate);
            double[] bound = ErrorBound(a, b, transposeA, transposeB, m, n, k, lda, ldb, ldc, accumulate ? before : null);
            T[] c = new T[before.Length];
            foreach (var isa in Isas())
            {
                // The scalar kernel is slow in a Debug build; its tile logic is covered by the smaller shapes.
                if (isa == GemmIsa.Scalar && (long)m * n * k > 300_000)
                    continue;
                // Two threads only change anything above the parallel threshold.
                foreach (int threads in Gemm.Work(m, n, k) >= Gemm.ParallelMinFlops ? new[] { 1, 2 } : new[] { 1 })
                {
                    Array.Copy(before, c, c.Length);
                    Gemm.Multiply<T>(isa, threads, transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);
                    AssertClose(expected, c, bound, n, ldc, tolerance,
                        $"{typeof(T).Name} {isa} threads={threads} tA={transposeA} tB={transposeB} acc={accumulate} [{m}x{k}]·[{k}x{n}]");
                }
            }
        }
    }

    /// <summary>Per element of C, the sum of |a||b| (+|c| when accumulating) that bounds its rounding error.</summary>
    private static double[] ErrorBound<T>(T[] a, T[] b, bool transposeA, bool transposeB, int m, int n, int k,
        int lda, int ldb, int ldc, T[]? before)
        where T : unmanaged, INumber<T>
    {
        var bound = new double[m * ldc];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = before is null ? 0 : Math.Abs(double.CreateTruncating(before[i * ldc + j]));
                for (int p = 0; p < k; p++)
                {
                    double av = double.CreateTruncating(transposeA ? a[p * lda + i] : a[i * lda + p]);
                    double bv = double.CreateTruncating(transposeB ? b[j * ldb + p] : b[p * ldb + j]);
                    s += Math.Abs(av * bv);
                }
                bound[i * ldc + j] = s;
            }
        return bound;
    }

    /// <summary>Each element within tolerance of the reference, relative to its error bound; the padding
    /// between rows must be untouched.</summary>
    private static void AssertClose<T>(T[] expected, T[] actual, double[] bound, int n, int ldc, double tolerance, string what)
        where T : unmanaged, INumber<T>
    {
        for (int idx = 0; idx < expected.Length; idx++)
        {
            int i = idx / ldc, j = idx % ldc;
            double e = double.CreateTruncating(expected[idx]), x = double.CreateTruncating(actual[idx]);
            if (j >= n)
                Assert.True(e == x, $"{what}: padding at ({i}, {j}) changed");
            else
                Assert.True(Math.Abs(e - x) <= tolerance * bound[idx] + 1e-30, $"{what}: C[{i}, {j}] = {x}, expected {e}");
        }
    }

    private static T[] Random<T>(Random rng, int count)
        where T : unmanaged, INumber<T>
    {
        var r = new T[count];
        for (int i = 0; i < r.Length; i++) r[i] = T.CreateTruncating(rng.NextDouble() * 2 - 1);
        return r;
    }
}

[CollectionDefinition(nameof(GemmAllocationTests), DisableParallelization = true)]
public class GemmAllocationCollection;

/// <summary>A training step must not allocate: neither may a warmed-up product, on one thread or two.</summary>
[Collection(nameof(GemmAllocationTests))]
public class GemmAllocationTests
{
    [Theory]
    [InlineData(1, 384, 128, false)]
    [InlineData(3, 200, 70, true)]
    [InlineData(32, 384, 128, false)]
    [InlineData(70, 90, 300, true)]
    public void A_warmed_up_single_threaded_product_allocates_nothing(int m, int n, int k, bool transpose)
    {
        var a = new float[m * k];
        var b = new float[k * n];
        var c = new float[m * n];
        int lda = transpose ? m : k, ldb = transpose ? k : n;
        Gemm.Multiply(transpose, transpose, m, n, k, a, lda, b, ldb, c, n, false);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
            Gemm.Multiply(transpose, transpose, m, n, k, a, lda, b, ldb, c, n, true);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_warmed_up_parallel_product_allocates_nothing_on_any_thread()
    {
        const int m = 64, n = 512, k = 256; // 16.8 Mflop: above the threshold, split by columns
        var a = new float[m * k];
        var b = new float[k * n];
        var c = new float[m * n];
        var ad = new double[m * k];
        var bd = new double[k * n];
        var cd = new double[m * n];
        for (int i = 0; i < 3; i++)
        {
            Gemm.Multiply(false, false, m, n, k, a, k, b, n, c, n, false);
            Gemm.Multiply(false, false, m, n, k, ad, k, bd, n, cd, n, false);
        }
        // Let the worker fall asleep once, so both its spinning and its blocking wake-up are warmed up.
        Thread.Sleep(20);
        Gemm.Multiply(false, false, m, n, k, a, k, b, n, c, n, false);
        // Count what the calling thread and the pool's workers allocate: other threads of the test host
        // (and tiered compilation) allocate on their own schedule.
        long callerBefore = GC.GetAllocatedBytesForCurrentThread();
        long workersBefore = GemmParallel.WorkerAllocatedBytes;
        for (int i = 0; i < 5; i++)
        {
            Gemm.Multiply(false, false, m, n, k, a, k, b, n, c, n, true);
            Gemm.Multiply(false, false, m, n, k, ad, k, bd, n, cd, n, true);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - callerBefore + GemmParallel.WorkerAllocatedBytes - workersBefore;
        Assert.Equal(0, allocated);
        // Jobs handed to the pool: proof that the split path really ran.
        if (Parallelism.MaxThreads > 1)
            Assert.True(GemmParallel.JobsRun > 0, "the product never ran on a worker thread");
    }

    /// <summary>
    /// A worker holds its full pack buffers from its start, so no product it runs later allocates. (They were made at
    /// its first packed product, so a worker the OS left unscheduled through a session's warm-up made them tokens later.)
    /// </summary>
    [Fact]
    public void Every_worker_holds_its_pack_buffers_before_its_first_part()
    {
        // 12 parts: more threads than any other test asks for, so workers 8 to 11 are new here.
        const int threads = 12;
        int saved = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = threads;
            var report = new WorkerReport(Environment.CurrentManagedThreadId, new int[threads]);
            QuantizedParts.Run(threads, report);
            // Part p ran on worker p (1: full buffers) unless the caller took it over (0); never on one without them (-1).
            Assert.DoesNotContain(-1, report.Held);
            Assert.Contains(1, report.Held);
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }

    private readonly struct WorkerReport(int caller, int[] held) : IPartBody
    {
        public int[] Held => held;

        public void Run(int part, int parts)
        {
            if (Environment.CurrentManagedThreadId != caller)
            {
                Volatile.Write(ref held[part], GemmDriver.HoldsFullBuffers ? 1 : -1);
                return;
            }
            // The caller's own part waits (a few seconds at most) for some worker to report, so that a loaded machine
            // cannot leave every part to the caller before a worker wakes.
            if (part == 0)
            {
                var all = held;
                SpinWait.SpinUntil(() => all.Any(h => h != 0), TimeSpan.FromSeconds(5));
            }
        }
    }
}
