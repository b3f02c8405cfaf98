using System.Diagnostics;
using System.Runtime.Intrinsics;
using RnnGen.Kernels;

namespace RnnGen.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project benchmarks/RnnGen.Benchmarks -- gemm [samples] [shape filter]`: the FMA peak of
/// one and two cores, then each shape's GFLOP/s (median of several timed samples) on 1 and 2 threads,
/// as a fraction of the matching peak, next to the textbook triple loop the runtime used before.
/// </summary>
public static class GemmHarness
{
    public static void Run(string[] args)
    {
        int samples = args.Length > 0 ? int.Parse(args[0]) : 9;
        string filter = args.Length > 1 ? args[1] : "";
        Console.WriteLine($"{Environment.ProcessorCount} cores, Vector512 {(Vector512.IsHardwareAccelerated ? "on" : "off")}, {samples} samples per figure (medians)");
        double peak1 = Median(samples, () => FmaPeak.Measure(1));
        double peak2 = Median(samples, () => FmaPeak.Measure(2));
        Console.WriteLine($"FMA peak (fp32, {FmaPeak.VectorBits}-bit vectors): 1 core {peak1:F1} GFLOP/s, 2 cores {peak2:F1} GFLOP/s");
        Console.WriteLine();
        Console.WriteLine($"{"shape",-44} {"1 thread",18} {"2 threads",18} {"reference loop",15}");
        foreach (var shape in GemmShape.All.Where(s => s.Name.Contains(filter, StringComparison.Ordinal)))
        {
            var ops = new GemmOperands(shape);
            double g1 = Measure(ops, 1, samples);
            double g2 = Measure(ops, 2, samples);
            double reference = MeasureReference(ops);
            Console.WriteLine($"{shape.Name,-44} {g1,7:F1} ({g1 / peak1,4:P0}) {g2,8:F1} ({g2 / peak2,4:P0}) {reference,9:F2} GF/s");
        }
        Parallelism.MaxThreads = Environment.ProcessorCount;
    }

    /// <summary>Median GFLOP/s of timed samples, each repeating the product for at least ~40 ms.</summary>
    private static double Measure(GemmOperands ops, int threads, int samples)
    {
        Parallelism.MaxThreads = threads;
        for (int i = 0; i < 3; i++) ops.Multiply();
        long t0 = Stopwatch.GetTimestamp();
        ops.Multiply();
        double once = Math.Max(Stopwatch.GetElapsedTime(t0).TotalSeconds, 1e-7);
        int reps = (int)Math.Clamp(0.04 / once, 1, 1_000_000);
        return Median(samples, () =>
        {
            long s = Stopwatch.GetTimestamp();
            for (int r = 0; r < reps; r++) ops.Multiply();
            return ops.Shape.Flops * reps / Stopwatch.GetElapsedTime(s).TotalSeconds / 1e9;
        });
    }

    /// <summary>The triple loop Gemm.Multiply was before this kernel (one run; it is slow).</summary>
    private static double MeasureReference(GemmOperands ops)
    {
        var s = ops.Shape;
        var c = new float[s.M * s.N];
        long t0 = Stopwatch.GetTimestamp();
        int reps = 0;
        do
        {
            NaiveMultiply(s.TransposeA, s.TransposeB, s.M, s.N, s.K, ops.A, ops.Lda, ops.B, ops.Ldb, c, s.N);
            reps++;
        } while (Stopwatch.GetElapsedTime(t0).TotalSeconds < 0.2);
        return s.Flops * reps / Stopwatch.GetElapsedTime(t0).TotalSeconds / 1e9;
    }

    private static void NaiveMultiply(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                float sum = 0;
                for (int p = 0; p < k; p++)
                    sum += (transposeA ? a[p * lda + i] : a[i * lda + p]) * (transposeB ? b[j * ldb + p] : b[p * ldb + j]);
                c[i * ldc + j] = sum;
            }
    }

    private static double Median(int samples, Func<double> measure)
    {
        var values = new double[samples];
        for (int i = 0; i < samples; i++) values[i] = measure();
        Array.Sort(values);
        return samples % 2 == 1 ? values[samples / 2] : (values[samples / 2 - 1] + values[samples / 2]) / 2;
    }
}
