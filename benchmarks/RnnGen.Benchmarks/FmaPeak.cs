using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Benchmarks;

/// <summary>
/// The machine's fp32 FMA ceiling: a loop of independent fused multiply-adds on registers only (12 chains, enough to
/// hide 4 cycles of latency on 2 pipes), timed on one thread or several at once. It runs on the widest vector the
/// hardware accelerates: on an AVX2 host Vector512 is emulated in software, and timing it there measured the
/// emulation (30-44 GFLOP/s) rather than the FMA units.
/// </summary>
public static class FmaPeak
{
    private const long Iterations = 20_000_000;
    private const int Chains = 12;

    /// <summary>The vector width the peak is measured with, in bits.</summary>
    public static int VectorBits => Vector512.IsHardwareAccelerated ? 512 : Vector256.IsHardwareAccelerated ? 256 : 128;

    /// <summary>GFLOP/s of <paramref name="threads"/> threads running the loop together.</summary>
    public static double Measure(int threads)
    {
        Func<long, float> loop = VectorBits switch { 512 => Loop512, 256 => Loop256, _ => Loop128 };
        using var start = new Barrier(threads + 1);
        var workers = new Thread[threads];
        var sinks = new float[threads];
        for (int t = 0; t < threads; t++)
        {
            int id = t;
            workers[t] = new Thread(() =>
            {
                loop(1000); // JIT and warm up
                start.SignalAndWait();
                sinks[id] = loop(Iterations);
            });
            workers[t].Start();
        }
        start.SignalAndWait();
        long t0 = Stopwatch.GetTimestamp();
        foreach (var w in workers) w.Join();
        double seconds = Stopwatch.GetElapsedTime(t0).TotalSeconds;
        GC.KeepAlive(sinks);
        double flops = (double)threads * Iterations * Chains * (VectorBits / 32) * 2;
        return flops / seconds / 1e9;
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop512(long iterations)
    {
        var m = Vector512.Create(0.999999f);
        var x = Vector512.Create(1e-7f);
        Vector512<float> a0 = Vector512.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        Vector512<float> a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector512.FusedMultiplyAdd(a0, m, x); a1 = Vector512.FusedMultiplyAdd(a1, m, x);
            a2 = Vector512.FusedMultiplyAdd(a2, m, x); a3 = Vector512.FusedMultiplyAdd(a3, m, x);
            a4 = Vector512.FusedMultiplyAdd(a4, m, x); a5 = Vector512.FusedMultiplyAdd(a5, m, x);
            a6 = Vector512.FusedMultiplyAdd(a6, m, x); a7 = Vector512.FusedMultiplyAdd(a7, m, x);
            a8 = Vector512.FusedMultiplyAdd(a8, m, x); a9 = Vector512.FusedMultiplyAdd(a9, m, x);
            a10 = Vector512.FusedMultiplyAdd(a10, m, x); a11 = Vector512.FusedMultiplyAdd(a11, m, x);
        }
        var s = (a0 + a1) + (a2 + a3) + (a4 + a5) + (a6 + a7) + (a8 + a9) + (a10 + a11);
        return Vector512.Sum(s);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop256(long iterations)
    {
        var m = Vector256.Create(0.999999f);
        var x = Vector256.Create(1e-7f);
        Vector256<float> a0 = Vector256.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        Vector256<float> a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector256.FusedMultiplyAdd(a0, m, x); a1 = Vector256.FusedMultiplyAdd(a1, m, x);
            a2 = Vector256.FusedMultiplyAdd(a2, m, x); a3 = Vector256.FusedMultiplyAdd(a3, m, x);
            a4 = Vector256.FusedMultiplyAdd(a4, m, x); a5 = Vector256.FusedMultiplyAdd(a5, m, x);
            a6 = Vector256.FusedMultiplyAdd(a6, m, x); a7 = Vector256.FusedMultiplyAdd(a7, m, x);
            a8 = Vector256.FusedMultiplyAdd(a8, m, x); a9 = Vector256.FusedMultiplyAdd(a9, m, x);
            a10 = Vector256.FusedMultiplyAdd(a10, m, x); a11 = Vector256.FusedMultiplyAdd(a11, m, x);
        }
        var s = (a0 + a1) + (a2 + a3) + (a4 + a5) + (a6 + a7) + (a8 + a9) + (a10 + a11);
        return Vector256.Sum(s);
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Loop128(long iterations)
    {
        var m = Vector128.Create(0.999999f);
        var x = Vector128.Create(1e-7f);
        Vector128<float> a0 = Vector128.Create(1f), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        Vector128<float> a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector128.FusedMultiplyAdd(a0, m, x); a1 = Vector128.FusedMultiplyAdd(a1, m, x);
            a2 = Vector128.FusedMultiplyAdd(a2, m, x); a3 = Vector128.FusedMultiplyAdd(a3, m, x);
            a4 = Vector128.FusedMultiplyAdd(a4, m, x); a5 = Vector128.FusedMultiplyAdd(a5, m, x);
            a6 = Vector128.FusedMultiplyAdd(a6, m, x); a7 = Vector128.FusedMultiplyAdd(a7, m, x);
            a8 = Vector128.FusedMultiplyAdd(a8, m, x); a9 = Vector128.FusedMultiplyAdd(a9, m, x);
            a10 = Vector128.FusedMultiplyAdd(a10, m, x); a11 = Vector128.FusedMultiplyAdd(a11, m, x);
        }
        var s = (a0 + a1) + (a2 + a3) + (a4 + a5) + (a6 + a7) + (a8 + a9) + (a10 + a11);
        return Vector128.Sum(s);
    }
}
