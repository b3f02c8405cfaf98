using System.Numerics;
using RnnGen.Kernels;

namespace RnnGen.Tests.Kernels;

public class PackedGemmTests
{
    // Rows around the few-rows path (m <= 4) and the register tile (MR 8/6/4); columns around the panel
    // width (NR 32/16/8/2) and the column split; depths around the packed block (KC 256 floats / 128
    // doubles); primes; empty shapes; and the recurrent steps themselves.
    public static readonly TheoryData<int, int, int> Shapes = new()
    {
        { 0, 5, 7 }, { 5, 0, 7 }, { 5, 7, 0 }, { 0, 0, 0 }, { 1, 1, 1 }, { 1, 37, 13 }, { 2, 64, 100 }, { 3, 33, 17 },
        { 4, 129, 257 }, { 5, 31, 33 }, { 7, 32, 1 }, { 8, 32, 256 }, { 9, 33, 257 }, { 13, 17, 19 }, { 17, 97, 300 },
        { 31, 63, 129 }, { 32, 384, 128 }, { 20, 200, 127 }, { 64, 65, 130 }, { 193, 40, 70 }, { 6, 1030, 9 },
        { 3, 700, 513 }, { 40, 300, 200 }, { 400, 20, 100 }, { 23, 257, 384 },
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float_matches_the_reference_on_every_kernel_and_layout(int m, int n, int k) =>
        CheckAllLayouts<float>(m, n, k, tolerance: 1e-5);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Double_matches_the_reference_on_every_kernel_and_layout(int m, int n, int k) =>
        CheckAllLayouts<double>(m, n, k, tolerance: 1e-13);

    private static void CheckAllLayouts<T>(int m, int n, int k, double tolerance)
        where T : unmanaged, INumber<T>
    {
        var rng = new Random(HashCode.Combine(m, n, k, typeof(T)));
        foreach (bool transposeA in new[] { false, true })
        foreach (bool transposeB in new[] { false, true })
        foreach (bool accumulate in new[] { false, true })
        {
            // Leading dimensions larger than the minimum on every other layout, to catch stride mix-ups.
            int pad = transposeA ^ transposeB ? 0 : 5;
            int lda = (transposeA ? m : k) + pad, ldb = (transposeB ? k : n) + pad, ldc = n + pad;
            int aRows = transposeA ? k : m, bRows = transposeB ? n : k;
            T[] a = Random<T>(rng, aRows * lda);
            T[] b = Random<T>(rng, bRows * ldb);
            T[] before = Random<T>(rng, m * ldc);
            T[] expected = (T[])before.Clone();
            Gemm.Reference<T>(transposeA, transposeB, m, n, k, a, lda, b, ldb, expected, ldc, accumulate);
            T[] c = new T[before.Length];
            foreach (var isa in GemmTests.Isas())
            {
                if (isa == GemmIsa.Scalar && (long)m * n * k > 300_000)
                    continue;
                var packed = new PackedMatrix<T>();
                Gemm.Pack<T>(isa, transposeB, k, n, b, ldb, packed);
                Assert.Equal(k, packed.K);
                Assert.Equal(n, packed.N);
                foreach (int threads in Gemm.Work(m, n, k) >= Gemm.ParallelMinFlops ? new[] { 1, 2 } : new[] { 1 })
                {
                    Array.Copy(before, c, c.Length);
                    Gemm.Multiply<T>(threads, transposeA, m, a, lda, packed, c, ldc, accumulate);
                    AssertClose(expected, c, n, ldc, k, tolerance,
                        $"{typeof(T).Name} {isa} threads={threads} tA={transposeA} tB={transposeB} acc={accumulate} [{m}x{k}]·[{k}x{n}]");
                }
            }
        }
    }

    [Fact]
    public void Splitting_over_two_threads_matches_one_thread_on_the_recurrent_steps()
    {
        var rng = new Random(3);
        foreach (var (m, n, k, transposeB) in new[] { (32, 1536, 512, true), (32, 512, 1536, false), (20, 2048, 512, true), (200, 48, 1024, false), (3, 1536, 512, true) })
        {
            float[] a = Random<float>(rng, m * k), b = Random<float>(rng, n * k);
            float[] c1 = Random<float>(rng, m * n), c2 = (float[])c1.Clone(), expected = (float[])c1.Clone();
            var packed = new PackedMatrix<float>();
            Gemm.Pack(transposeB, k, n, b, transposeB ? k : n, packed);
            Assert.True(Gemm.Work(m, n, k) >= Gemm.ParallelMinFlops);
            Gemm.Multiply<float>(1, false, m, a, k, packed, c1, n, accumulate: true);
            Gemm.Multiply<float>(2, false, m, a, k, packed, c2, n, accumulate: true);
            Gemm.Reference<float>(false, transposeB, m, n, k, a, k, b, transposeB ? k : n, expected, n, accumulate: true);
            AssertClose(expected, c1, n, n, k, 1e-5, $"1 thread [{m}x{k}]·[{k}x{n}]");
            AssertClose(expected, c2, n, n, k, 1e-5, $"2 threads [{m}x{k}]·[{k}x{n}]");
        }
    }

    [Fact]
    public void Public_entry_points_match_the_reference()
    {
        var rng = new Random(11);
        const int m = 32, n = 384, k = 128;
        float[] a = Random<float>(rng, m * k), b = Random<float>(rng, n * k);
        float[] c = new float[m * n], expected = new float[m * n];
        var packed = new PackedMatrix<float>();
        Gemm.Pack(true, k, n, b, k, packed);
        Gemm.Multiply(m, a, k, packed, c, n, accumulate: false);
        Gemm.Reference<float>(false, true, m, n, k, a, k, b, k, expected, n, accumulate: false);
        AssertClose(expected, c, n, n, k, 1e-5, "float");

        double[] ad = Random<double>(rng, k * m), bd = Random<double>(rng, k * n);
        double[] cd = Random<double>(rng, m * n), expectedD = (double[])cd.Clone();
        var packedD = new PackedMatrix<double>();
        Gemm.Pack<double>(false, k, n, bd, n, packedD);
        Gemm.Multiply<double>(true, m, ad, m, packedD, cd, n, accumulate: true);
        Gemm.Reference<double>(true, false, m, n, k, ad, m, bd, n, expectedD, n, accumulate: true);
        AssertClose(expectedD, cd, n, n, k, 1e-13, "double");

        Array.Copy(expectedD, cd, cd.Length);
        Gemm.Multiply<double>(m, Random<double>(rng, 0), 0, new PackedMatrix<double>(), cd, n, accumulate: false); // 0 columns: nothing
        Assert.Equal(expectedD, cd);
    }

    [Fact]
    public void Repacking_reuses_the_buffer_and_a_different_shape_is_exact()
    {
        var rng = new Random(5);
        var packed = new PackedMatrix<float>();
        foreach (var (m, n, k, transposeB) in new[] { (32, 300, 200, true), (9, 37, 500, false), (32, 300, 200, false), (5, 1, 1, true), (40, 64, 64, true) })
        {
            float[] a = Random<float>(rng, m * k), b = Random<float>(rng, n * k);
            float[] c = new float[m * n], expected = new float[m * n];
            Gemm.Pack(transposeB, k, n, b, transposeB ? k : n, packed);
            Gemm.Multiply(m, a, k, packed, c, n, accumulate: false);
            Gemm.Reference<float>(false, transposeB, m, n, k, a, k, b, transposeB ? k : n, expected, n, accumulate: false);
            AssertClose(expected, c, n, n, k, 1e-5, $"[{m}x{k}]·[{k}x{n}] tB={transposeB}");
        }
        long capacity = packed.Capacity;
        var small = new float[64 * 64];
        long before = GC.GetAllocatedBytesForCurrentThread();
        Gemm.Pack(false, 64, 64, small, 64, packed);
        Gemm.Pack(true, 200, 300, Big, 200, packed);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(capacity, packed.Capacity);
    }

    private static readonly float[] Big = new float[300 * 200];

    [Fact]
    public void Bad_arguments_are_rejected()
    {
        var packed = new PackedMatrix<float>();
        Assert.Throws<ArgumentException>(() => Gemm.Pack(false, 4, 4, new float[15], 4, packed));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Pack(true, 4, 4, new float[16], 3, packed));
        Assert.Throws<ArgumentNullException>(() => Gemm.Pack(false, 1, 1, new float[1], 1, null!));
        Gemm.Pack(false, 4, 4, new float[16], 4, packed);
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(2, new float[7], 4, packed, new float[8], 4, false));
        Assert.Throws<ArgumentException>(() => Gemm.Multiply(2, new float[8], 4, packed, new float[7], 4, false));
        Assert.Throws<ArgumentOutOfRangeException>(() => Gemm.Multiply(2, new float[8], 4, packed, new float[8], 3, false));
        Assert.Throws<NotSupportedException>(() => Gemm.Pack<int>(false, 1, 1, new int[1], 1, new PackedMatrix<int>()));
    }

    internal static void AssertClose<T>(T[] expected, T[] actual, int n, int ldc, int k, double tolerance, string what)
        where T : unmanaged, INumber<T>
    {
        // Operands in [-1, 1): each element's rounding error is bounded by k (+1 when accumulating) units.
        for (int idx = 0; idx < expected.Length; idx++)
        {
            int i = idx / ldc, j = idx % ldc;
            double e = double.CreateTruncating(expected[idx]), x = double.CreateTruncating(actual[idx]);
            if (j >= n)
                Assert.True(e == x, $"{what}: padding at ({i}, {j}) changed");
            else
                Assert.True(Math.Abs(e - x) <= tolerance * (k + 1), $"{what}: C[{i}, {j}] = {x}, expected {e}");
        }
    }

    internal static T[] Random<T>(Random rng, int count)
        where T : unmanaged, INumber<T>
    {
        var r = new T[count];
        for (int i = 0; i < r.Length; i++) r[i] = T.CreateTruncating(rng.NextDouble() * 2 - 1);
        return r;
    }
}

/// <summary>A warmed-up product on a packed B allocates nothing, on one thread or two; nor does repacking.</summary>
[Collection(nameof(GemmAllocationTests))]
public class PackedGemmAllocationTests
{
    [Theory]
    [InlineData(1, 384, 128, false)]
    [InlineData(3, 200, 70, true)]
    [InlineData(32, 384, 128, true)]
    [InlineData(70, 90, 300, false)]
    public void A_warmed_up_single_threaded_product_allocates_nothing(int m, int n, int k, bool transposeB)
    {
        var a = new float[m * k];
        var b = new float[k * n];
        var c = new float[m * n];
        var packed = new PackedMatrix<float>();
        Gemm.Pack(transposeB, k, n, b, transposeB ? k : n, packed);
        Gemm.Multiply<float>(1, false, m, a, k, packed, c, n, false);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            Gemm.Pack(transposeB, k, n, b, transposeB ? k : n, packed);
            Gemm.Multiply<float>(1, false, m, a, k, packed, c, n, true);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_warmed_up_parallel_product_allocates_nothing_on_any_thread()
    {
        const int m = 32, n = 1536, k = 512; // 50 Mflop: above the threshold, split by columns
        var a = new float[m * k];
        var b = new float[k * n];
        var c = new float[m * n];
        var ad = new double[m * k];
        var bd = new double[k * n];
        var cd = new double[m * n];
        var packed = new PackedMatrix<float>();
        var packedD = new PackedMatrix<double>();
        Gemm.Pack(true, k, n, b, k, packed);
        Gemm.Pack<double>(false, k, n, bd, n, packedD);
        for (int i = 0; i < 3; i++)
        {
            Gemm.Multiply<float>(2, false, m, a, k, packed, c, n, false);
            Gemm.Multiply<double>(2, false, m, ad, k, packedD, cd, n, false);
        }
        Thread.Sleep(20);
        Gemm.Multiply<float>(2, false, m, a, k, packed, c, n, false);
        long callerBefore = GC.GetAllocatedBytesForCurrentThread();
        long workersBefore = GemmParallel.WorkerAllocatedBytes;
        for (int i = 0; i < 5; i++)
        {
            Gemm.Multiply<float>(2, false, m, a, k, packed, c, n, true);
            Gemm.Multiply<double>(2, false, m, ad, k, packedD, cd, n, true);
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - callerBefore + GemmParallel.WorkerAllocatedBytes - workersBefore;
        Assert.Equal(0, allocated);
        if (Environment.ProcessorCount > 1)
            Assert.True(GemmParallel.WorkerAllocatedBytes > 0, "the product never ran on a worker thread");
    }
}
