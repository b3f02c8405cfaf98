using System.Numerics;
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
    public static int VectorBits => Vector512.IsHardwareAccelerated ? 512 : Vector<float>.Count * 32;

    /// <summary>GFLOP/s of <paramref name="threads"/> threads running the loop together.</summary>
    public static double Measure(int threads)
    {
        Func<long, float> loop = Vector512.IsHardwareAccelerated ? Loop512 : LoopVector;
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

    // Vector<float> is the widest vector the JIT accelerates short of 512 bits (256 on AVX2, 128 on SSE or NEON): one
    // loop for every such host. Vector512 needs its own, since Vector<float> stays at 256 bits on AVX-512 hosts.
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float LoopVector(long iterations)
    {
        var m = new Vector<float>(0.999999f);
        var x = new Vector<float>(1e-7f);
        Vector<float> a0 = Vector<float>.One, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0;
        Vector<float> a6 = a0, a7 = a0, a8 = a0, a9 = a0, a10 = a0, a11 = a0;
        for (long i = 0; i < iterations; i++)
        {
            a0 = Vector.FusedMultiplyAdd(a0, m, x); a1 = Vector.FusedMultiplyAdd(a1, m, x);
            a2 = Vector.FusedMultiplyAdd(a2, m, x); a3 = Vector.FusedMultiplyAdd(a3, m, x);
            a4 = Vector.FusedMultiplyAdd(a4, m, x); a5 = Vector.FusedMultiplyAdd(a5, m, x);
            a6 = Vector.FusedMultiplyAdd(a6, m, x); a7 = Vector.FusedMultiplyAdd(a7, m, x);
            a8 = Vector.FusedMultiplyAdd(a8, m, x); a9 = Vector.FusedMultiplyAdd(a9, m, x);
            a10 = Vector.FusedMultiplyAdd(a10, m, x); a11 = Vector.FusedMultiplyAdd(a11, m, x);
        }
        var s = (a0 + a1) + (a2 + a3) + (a4 + a5) + (a6 + a7) + (a8 + a9) + (a10 + a11);
        return Vector.Sum(s);
    }
}
