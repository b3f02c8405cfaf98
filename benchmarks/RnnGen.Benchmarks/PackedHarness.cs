using System.Diagnostics;
using System.Runtime.Intrinsics;
using RnnGen.Kernels;

namespace RnnGen.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project benchmarks/RnnGen.Benchmarks -- packed [samples]`: the per-time-step
/// products of a recurrent layer (the same weight matrix W times a small batch of rows), timed in the same
/// run with B read by the plain <see cref="Gemm.Multiply(bool, bool, int, int, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, Span{float}, int, bool)"/>
/// and with W packed once into a <see cref="PackedMatrix{T}"/> (packing excluded: it is amortised over a
/// window of 64 steps; its own time is printed). GFLOP/s are medians, % of the measured FMA peak.
/// </summary>
public static class PackedHarness
{
    private sealed record Step(string Name, int M, int N, int K, bool TransposeB);

    private static readonly Step[] Steps =
    [
        new("[32x128]·[128x384]ᵀ forward", 32, 384, 128, true),
        new("[32x512]·[512x1536]ᵀ forward", 32, 1536, 512, true),
        new("[32x512]·[512x2048]ᵀ forward", 32, 2048, 512, true),
        new("[32x1536]·[1536x512] backward", 32, 512, 1536, false),
        new("[32x2048]·[2048x512] backward", 32, 512, 2048, false),
        new("[20x512]·[512x2048]ᵀ forward", 20, 2048, 512, true),
    ];

    public static void Run(string[] args)
    {
        int samples = args.Length > 0 ? int.Parse(args[0]) : 9;
        Console.WriteLine($"{Environment.ProcessorCount} cores, Vector512 {(Vector512.IsHardwareAccelerated ? "on" : "off")}, {samples} samples per figure (medians)");
        double peak1 = Median(samples, () => FmaPeak.Measure(1));
        double peak2 = Median(samples, () => FmaPeak.Measure(2));
        Console.WriteLine($"FMA peak (fp32, {FmaPeak.VectorBits}-bit vectors): 1 core {peak1:F1} GFLOP/s, 2 cores {peak2:F1} GFLOP/s");
        Console.WriteLine();
        Console.WriteLine($"{"step product",-34} {"plain 1T",15} {"packed 1T",15} {"plain 2T",15} {"packed 2T",15} {"pack W",9}");
        foreach (var s in Steps)
        {
            var rng = new Random(1);
            var a = new float[s.M * s.K];
            var w = new float[s.K * s.N];
            var c = new float[s.M * s.N];
            for (int i = 0; i < a.Length; i++) a[i] = (float)rng.NextDouble() - 0.5f;
            for (int i = 0; i < w.Length; i++) w[i] = (float)rng.NextDouble() - 0.5f;
            int ldw = s.TransposeB ? s.K : s.N;
            var packed = new PackedMatrix<float>();
            Gemm.Pack(s.TransposeB, s.K, s.N, w, ldw, packed);
            double flops = 2.0 * s.M * s.N * s.K;
            Action plain = () => Gemm.Multiply(false, s.TransposeB, s.M, s.N, s.K, a, s.K, w, ldw, c, s.N, false);
            Action pre = () => Gemm.Multiply(s.M, a, s.K, packed, c, s.N, false);
            Action pack = () => Gemm.Pack(s.TransposeB, s.K, s.N, w, ldw, packed);
            // Plain and packed samples alternate, so a burst of load from other processes hits both alike.
            var (p1, q1) = Gflops(plain, pre, flops, 1, samples);
            var (p2, q2) = Gflops(plain, pre, flops, 2, samples);
            double packUs = Seconds(pack, pack, 1, samples).First * 1e6;
            Console.WriteLine($"{s.Name,-34} {p1,6:F1} ({p1 / peak1,4:P0}) {q1,6:F1} ({q1 / peak1,4:P0}) {p2,6:F1} ({p2 / peak2,4:P0}) {q2,6:F1} ({q2 / peak2,4:P0}) {packUs,6:F0} µs");
        }
        Parallelism.MaxThreads = Environment.ProcessorCount;
    }

    private static (double First, double Second) Gflops(Action first, Action second, double flops, int threads, int samples)
    {
        var (t1, t2) = Seconds(first, second, threads, samples);
        return (flops / t1 / 1e9, flops / t2 / 1e9);
    }

    /// <summary>Median seconds per call of two bodies over alternating timed samples, each repeating its body
    /// for at least ~40 ms.</summary>
    private static (double First, double Second) Seconds(Action first, Action second, int threads, int samples)
    {
        Parallelism.MaxThreads = threads;
        int r1 = Repetitions(first), r2 = Repetitions(second);
        var t1 = new double[samples];
        var t2 = new double[samples];
        for (int i = 0; i < samples; i++)
        {
            t1[i] = Time(first, r1);
            t2[i] = Time(second, r2);
        }
        return (Median(t1), Median(t2));
    }

    private static int Repetitions(Action body)
    {
        for (int i = 0; i < 5; i++) body();
        double once = Math.Max(Time(body, 1), 1e-7);
        return (int)Math.Clamp(0.04 / once, 1, 1_000_000);
    }

    private static double Time(Action body, int reps)
    {
        long s = Stopwatch.GetTimestamp();
        for (int r = 0; r < reps; r++) body();
        return Stopwatch.GetElapsedTime(s).TotalSeconds / reps;
    }

    private static double Median(double[] values)
    {
        Array.Sort(values);
        int n = values.Length;
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    private static double Median(int samples, Func<double> measure)
    {
        var values = new double[samples];
        for (int i = 0; i < samples; i++) values[i] = measure();
        Array.Sort(values);
        return samples % 2 == 1 ? values[samples / 2] : (values[samples / 2 - 1] + values[samples / 2]) / 2;
    }
}
