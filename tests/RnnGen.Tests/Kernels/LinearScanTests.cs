using System.Numerics;

namespace RnnGen.Tests.Kernels;

/// <summary>
/// The linear scans against a plain loop, as the adjoint of the forward map, and in bits across thread counts.
/// Shapes: (7, 5) and (300, 4096) scan whole (split by columns); (2048, 512), batch 1 at hidden 512, (2000, 37)
/// and (4100, 17) scan in 16 chunks of time (of 128, 125 and 256 or 257 steps).
/// </summary>
[Collection(nameof(Cells.RowSplitTests))]
public class LinearScanTests
{
    public static TheoryData<int, int> Shapes() => new() { { 7, 5 }, { 300, 4096 }, { 2048, 512 }, { 2000, 37 }, { 4100, 17 } };

    [Fact]
    public void The_plan_chunks_narrow_long_scans_by_shape_alone()
    {
        Assert.Equal(1, LinearScanPlan.Chunks(7, 5));
        Assert.Equal(1, LinearScanPlan.Chunks(300, 4096));
        Assert.Equal(16, LinearScanPlan.Chunks(2048, 512));
        Assert.Equal(16, LinearScanPlan.Chunks(2000, 37));
        Assert.Equal(1, LinearScanPlan.Chunks(1000, 37)); // too little work to repay a second thread
        Assert.Equal(2, LinearScanPlan.Chunks(130, 512));
        int threads = Parallelism.MaxThreads;
        try
        {
            foreach (int count in new[] { 1, 3, 8 })
            {
                Parallelism.MaxThreads = count;
                Assert.Equal(16, LinearScanPlan.Chunks(2048, 512));
                Assert.Equal(Math.Min(count, 16), LinearScanPlan.Parts(2048, 512));
            }
        }
        finally
        {
            Parallelism.MaxThreads = threads;
        }
        // Runs of whole chunks and whole column grains cover everything once.
        for (int parts = 1; parts <= 8; parts++)
        {
            int expect = 0;
            for (int p = 0; p < parts; p++)
            {
                var (first, end) = LinearScanPlan.Columns(p, parts, 1000);
                Assert.Equal(expect, first);
                Assert.True(first % LinearScanPlan.ColumnGrain == 0 || first == 1000);
                expect = end;
            }
            Assert.Equal(1000, expect);
        }
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Forward_and_backward_match_the_sequential_loop_in_double(int steps, int width)
    {
        var (a, b, s0, local) = Operands(steps, width, seed: steps * 31 + width);
        var (states, grads, grad0) = Sequential(steps, width, a, b, s0, local);
        var scan = new LinearScan<double>();
        var gotStates = new double[steps * width];
        var gotGrads = new double[steps * width];
        var gotGrad0 = new double[width];
        scan.Forward(steps, width, a, b, s0, gotStates);
        scan.Backward(steps, width, a, local, gotGrads, gotGrad0);
        bool chunked = LinearScanPlan.Chunks(steps, width) > 1;
        // A whole scan is the loop's own operations; chunks re-associate, which stays within a few ulps here
        // because |a| < 1 keeps every carry's product bounded.
        double tolerance = chunked ? 1e-13 : 0;
        AssertClose(states, gotStates, tolerance);
        AssertClose(grads, gotGrads, tolerance);
        AssertClose(grad0, gotGrad0, tolerance);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float_scans_stay_close_to_the_double_ones(int steps, int width)
    {
        var (a, b, s0, local) = Operands(steps, width, seed: 5 + steps + width);
        var (states, grads, grad0) = Sequential(steps, width, a, b, s0, local);
        float[] F(double[] x) => x.Select(v => (float)v).ToArray();
        var (af, bf, s0f, lf) = (F(a), F(b), F(s0), F(local));
        var scan = new LinearScan<float>();
        var gotStates = new float[steps * width];
        var gotGrads = new float[steps * width];
        var gotGrad0 = new float[width];
        scan.Forward(steps, width, af, bf, s0f, gotStates);
        scan.Backward(steps, width, af, lf, gotGrads, gotGrad0);
        // The states are sums of about 1 / (1 - |a|) <= 10 terms of size <= 1, so float keeps them within 1e-5.
        AssertClose(states, gotStates.Select(v => (double)v).ToArray(), 1e-5);
        AssertClose(grads, gotGrads.Select(v => (double)v).ToArray(), 1e-5);
        AssertClose(grad0, gotGrad0.Select(v => (double)v).ToArray(), 1e-5);
    }

    /// <summary>
    /// The backward scan is the transpose of the forward map (b, s_{-1}) -> s for fixed a:
    /// &lt;local, S(δb, δs0)&gt; = &lt;g, δb&gt; + &lt;g_{-1}, δs0&gt;, which checks it without a reference loop.
    /// </summary>
    [Theory]
    [MemberData(nameof(Shapes))]
    public void Backward_is_the_adjoint_of_forward(int steps, int width)
    {
        var (a, db, ds0, local) = Operands(steps, width, seed: 77 + steps);
        var scan = new LinearScan<double>();
        var states = new double[steps * width];
        var grads = new double[steps * width];
        var grad0 = new double[width];
        scan.Forward(steps, width, a, db, ds0, states);
        scan.Backward(steps, width, a, local, grads, grad0);
        double left = Dot(local, states);
        double right = Dot(grads, db) + Dot(grad0, ds0);
        Assert.True(Math.Abs(left - right) <= 1e-10 * Math.Abs(left) + 1e-12, $"{left} vs {right}");
    }

    /// <summary>
    /// The contract with the caller: for L = &lt;local, s&gt;, dL/da_t = g_t ⊙ s_{t-1} and dL/db_t = g_t, checked by
    /// central differences at entries on both sides of chunk boundaries and at the first and last steps.
    /// </summary>
    [Theory]
    [InlineData(4100, 17)]
    [InlineData(40, 3)]
    public void Gradients_formed_from_the_scans_match_finite_differences(int steps, int width)
    {
        var (a, b, s0, local) = Operands(steps, width, seed: 21);
        var scan = new LinearScan<double>();
        var states = new double[steps * width];
        var grads = new double[steps * width];
        var grad0 = new double[width];
        scan.Forward(steps, width, a, b, s0, states);
        scan.Backward(steps, width, a, local, grads, grad0);
        double Loss()
        {
            var s = new double[steps * width];
            scan.Forward(steps, width, a, b, s0, s);
            return Dot(local, s);
        }
        int chunks = LinearScanPlan.Chunks(steps, width);
        var times = new List<int> { 0, 1, steps - 2, steps - 1 };
        for (int k = 1; k < chunks; k++)
        {
            int start = LinearScanPlan.ChunkStart(k, chunks, steps);
            times.AddRange([start - 1, start]);
        }
        const double h = 1e-6;
        foreach (int t in times)
        {
            int j = (t * 7 + 3) % width, i = t * width + j;
            double previous = t == 0 ? s0[j] : states[i - width];
            foreach (var (values, analytic, name) in new[] { (a, grads[i] * previous, "a"), (b, grads[i], "b") })
            {
                double keep = values[i];
                values[i] = keep + h;
                double up = Loss();
                values[i] = keep - h;
                double down = Loss();
                values[i] = keep;
                double numeric = (up - down) / (2 * h);
                Assert.True(Math.Abs(numeric - analytic) <= 1e-6 * Math.Max(1, Math.Abs(analytic)),
                    $"d{name}[{t}, {j}]: numeric {numeric}, from the scans {analytic}");
            }
        }
    }

    [Theory]
    [InlineData(2048, 512)]
    [InlineData(4100, 17)]
    [InlineData(300, 4096)]
    public void The_same_bits_on_any_number_of_threads_and_with_the_pool_busy(int steps, int width)
    {
        var (a, b, s0, local) = Operands(steps, width, seed: 3);
        float[] F(double[] x) => x.Select(v => (float)v).ToArray();
        var (af, bf, s0f, lf) = (F(a), F(b), F(s0), F(local));
        var scan = new LinearScan<float>();
        float[]? firstStates = null, firstGrads = null, firstGrad0 = null;
        int threads = Parallelism.MaxThreads;
        long jobs = GemmParallel.JobsRun;
        try
        {
            foreach (int count in new[] { 1, 2, 3, 4, 8 })
            {
                Parallelism.MaxThreads = count;
                foreach (bool busy in new[] { false, true })
                {
                    var states = new float[steps * width];
                    var grads = new float[steps * width];
                    var grad0 = new float[width];
                    if (busy)
                        Assert.True(RunWhileThePoolIsHeld(() =>
                        {
                            scan.Forward(steps, width, af, bf, s0f, states);
                            scan.Backward(steps, width, af, lf, grads, grad0);
                        }));
                    else
                    {
                        scan.Forward(steps, width, af, bf, s0f, states);
                        scan.Backward(steps, width, af, lf, grads, grad0);
                    }
                    firstStates ??= states;
                    firstGrads ??= grads;
                    firstGrad0 ??= grad0;
                    Assert.Equal(firstStates, states);
                    Assert.Equal(firstGrads, grads);
                    Assert.Equal(firstGrad0, grad0);
                }
            }
        }
        finally
        {
            Parallelism.MaxThreads = threads;
        }
        Assert.True(GemmParallel.JobsRun > jobs, "no scan ran on the pool");
    }

    [Fact]
    public void States_may_overwrite_b_and_gradients_may_overwrite_local()
    {
        foreach (var (steps, width) in new[] { (9, 21), (4100, 17) })
        {
            var (a, b, s0, local) = Operands(steps, width, seed: 11);
            var scan = new LinearScan<double>();
            var states = new double[steps * width];
            var grads = new double[steps * width];
            var grad0 = new double[width];
            scan.Forward(steps, width, a, b, s0, states);
            scan.Backward(steps, width, a, local, grads, grad0);
            var inPlace = (double[])b.Clone();
            scan.Forward(steps, width, a, inPlace, s0, inPlace);
            Assert.Equal(states, inPlace);
            inPlace = (double[])local.Clone();
            scan.Backward(steps, width, a, inPlace, inPlace, grad0);
            Assert.Equal(grads, inPlace);
        }
    }

    [Fact]
    public void A_warm_scan_allocates_nothing()
    {
        const int steps = 2048, width = 512;
        var (a, b, s0, local) = Operands(steps, width, seed: 9);
        float[] F(double[] x) => x.Select(v => (float)v).ToArray();
        var (af, bf, s0f, lf) = (F(a), F(b), F(s0), F(local));
        var states = new float[steps * width];
        var grads = new float[steps * width];
        var grad0 = new float[width];
        var scan = new LinearScan<float>();
        int threads = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 2;
            var (caller, workers) = WarmAllocation.After(() =>
            {
                scan.Forward(steps, width, af, bf, s0f, states);
                scan.Backward(steps, width, af, lf, grads, grad0);
            }, rounds: 1);
            Assert.Equal(0, caller);
            Assert.Equal(0, workers);
        }
        finally
        {
            Parallelism.MaxThreads = threads;
        }
    }

    [Fact]
    public void No_steps_leave_the_states_alone_and_give_no_initial_gradient()
    {
        var scan = new LinearScan<double>();
        var grad0 = new double[] { 1, 2, 3 };
        scan.Forward(0, 3, [], [], [1, 2, 3], []);
        scan.Backward(0, 3, [], [], [], grad0);
        Assert.Equal(new double[3], grad0);
        Assert.Throws<ArgumentException>(() => scan.Forward(2, 3, new double[6], new double[5], new double[3], new double[6]));
        Assert.Throws<ArgumentException>(() => scan.Backward(2, 3, new double[6], new double[6], new double[6], new double[2]));
    }

    /// <summary>a in (-0.9, 0.9) away from 0 (so the products do not vanish before a chunk ends), b, s_{-1} and local in (-1, 1).</summary>
    private static (double[] A, double[] B, double[] S0, double[] Local) Operands(int steps, int width, int seed)
    {
        var random = new Random(seed);
        double[] Uniform(int n) => Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var a = Enumerable.Range(0, steps * width)
            .Select(_ => (random.Next(2) * 2 - 1) * (0.9 + 0.0999 * random.NextDouble())).ToArray();
        return (a, Uniform(steps * width), Uniform(width), Uniform(steps * width));
    }

    /// <summary>The definition, one step at a time.</summary>
    private static (double[] States, double[] Grads, double[] Grad0) Sequential(int steps, int width, double[] a, double[] b, double[] s0, double[] local)
    {
        var s = new double[steps * width];
        var g = new double[steps * width];
        var g0 = new double[width];
        for (int j = 0; j < width; j++)
        {
            double state = s0[j];
            for (int t = 0; t < steps; t++)
                s[t * width + j] = state = a[t * width + j] * state + b[t * width + j];
            for (int t = steps - 1; t >= 0; t--)
                g[t * width + j] = t == steps - 1 ? local[t * width + j] : a[(t + 1) * width + j] * g[(t + 1) * width + j] + local[t * width + j];
            if (steps > 0) g0[j] = a[j] * g[j];
        }
        return (s, g, g0);
    }

    private static bool RunWhileThePoolIsHeld(Action action)
    {
        if (!GemmParallel.TryEnter())
            return false;
        try
        {
            // The scan, on the thread that holds the pool, runs its parts in turn.
            action();
            return true;
        }
        finally
        {
            GemmParallel.Exit();
        }
    }

    private static void AssertClose(double[] expected, double[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double bound = tolerance * Math.Max(1, Math.Abs(expected[i]));
            if (!(Math.Abs(expected[i] - actual[i]) <= bound))
                Assert.Fail($"element {i}: expected {expected[i]:R}, got {actual[i]:R} (tolerance {bound:E1})");
        }
    }

    private static double Dot(double[] x, double[] y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++) sum += x[i] * y[i];
        return sum;
    }
}
