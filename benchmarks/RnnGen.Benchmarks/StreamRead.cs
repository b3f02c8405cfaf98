using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using RnnGen.Kernels;

namespace RnnGen.Benchmarks;

/// <summary>
/// A plain read of a buffer split into <see cref="Parallelism.MaxThreads"/> contiguous parts, part p on the same pool
/// thread at every call (as the batch-1 products run): vector loads summed into four accumulators, nothing else.
/// Its GB/s is what this machine reads from wherever that many bytes per core live (L2, L3 or memory), so a product
/// of the same bytes can be put against it.
/// </summary>
public static unsafe class StreamRead
{
    private static float s_sink;

    public static void Run(float[] data)
    {
        int parts = Math.Min(Parallelism.MaxThreads, Math.Max(1, data.Length / 4096));
        fixed (float* p = data)
            QuantizedParts.Run(parts, new Body(p, data.Length));
    }

    private readonly struct Body(float* data, int length) : IPartBody
    {
        public void Run(int part, int parts)
        {
            // Parts of whole 32-float blocks, so each starts on the same alignment as the buffer.
            int blocks = length / 32;
            int first = (int)((long)blocks * part / parts) * 32, end = (int)((long)blocks * (part + 1) / parts) * 32;
            float sum = Sum(data + first, end - first);
            if (sum == float.NegativeInfinity) s_sink = sum; // keeps the reads alive
        }
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static float Sum(float* p, int count)
    {
        Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
        for (int i = 0; i + 32 <= count; i += 32)
        {
            a0 += Vector256.Load(p + i);
            a1 += Vector256.Load(p + i + 8);
            a2 += Vector256.Load(p + i + 16);
            a3 += Vector256.Load(p + i + 24);
        }
        return Vector256.Sum((a0 + a1) + (a2 + a3));
    }
}
