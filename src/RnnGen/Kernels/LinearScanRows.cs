using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace RnnGen.Kernels;

/// <summary>
/// The row operations of <see cref="LinearScan{T}"/>, vectorised over a row's columns. Each is one multiply and
/// one add at most, never fused, so a lane rounds the same on every vector width and in the scalar tail: a
/// column's result does not depend on which part of a split, or which path, computed it. The destination may
/// be the same memory as any source (each element is read before it is written).
/// </summary>
internal static class LinearScanRows<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private enum Kind { Copy, Add, Mul, MulAdd }

    /// <summary>d = x.</summary>
    public static void Copy(Span<T> d, ReadOnlySpan<T> x) => Dispatch(Kind.Copy, d, x, x, x);

    /// <summary>d = x + y.</summary>
    public static void Add(Span<T> d, ReadOnlySpan<T> x, ReadOnlySpan<T> y) => Dispatch(Kind.Add, d, x, y, y);

    /// <summary>d = x * y.</summary>
    public static void Mul(Span<T> d, ReadOnlySpan<T> x, ReadOnlySpan<T> y) => Dispatch(Kind.Mul, d, x, y, y);

    /// <summary>d = x * y + z: a step of the forward scan, and of the reverse one (g = a g' + local).</summary>
    public static void MulAdd(Span<T> d, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z) => Dispatch(Kind.MulAdd, d, x, y, z);

    /// <summary>One step of a chunk's reduction, both rows in one pass over a: forward, offset = a * offset + b;
    /// backward (<paramref name="reverse"/>), offset = a * (b + offset); and factor = a * factor either way.</summary>
    public static void Reduce(Span<T> factor, Span<T> offset, ReadOnlySpan<T> a, ReadOnlySpan<T> b, bool reverse)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated) i = ReduceLoop<Simd512<T>>(factor, offset, a, b, reverse);
        else if (Vector256.IsHardwareAccelerated) i = ReduceLoop<Simd256<T>>(factor, offset, a, b, reverse);
        for (; i < factor.Length; i++)
        {
            offset[i] = reverse ? a[i] * (b[i] + offset[i]) : a[i] * offset[i] + b[i];
            factor[i] = a[i] * factor[i];
        }
    }

    private static int ReduceLoop<TSimd>(Span<T> factor, Span<T> offset, ReadOnlySpan<T> a, ReadOnlySpan<T> b, bool reverse)
        where TSimd : struct, ISimd<TSimd, T>
    {
        int n = factor.Length - TSimd.Count, i = 0;
        for (; i <= n; i += TSimd.Count)
        {
            var va = TSimd.Load(a, i);
            var vo = TSimd.Load(offset, i);
            TSimd.Store(offset, i, reverse ? va * (TSimd.Load(b, i) + vo) : va * vo + TSimd.Load(b, i));
            TSimd.Store(factor, i, va * TSimd.Load(factor, i));
        }
        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dispatch(Kind kind, Span<T> d, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z)
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated) i = Loop<Simd512<T>>(kind, d, x, y, z);
        else if (Vector256.IsHardwareAccelerated) i = Loop<Simd256<T>>(kind, d, x, y, z);
        Tail(kind, d, x, y, z, i);
    }

    private static int Loop<TSimd>(Kind kind, Span<T> d, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z)
        where TSimd : struct, ISimd<TSimd, T>
    {
        int n = d.Length - TSimd.Count, i = 0;
        switch (kind)
        {
            case Kind.Copy:
                for (; i <= n; i += TSimd.Count) TSimd.Store(d, i, TSimd.Load(x, i));
                break;
            case Kind.Add:
                for (; i <= n; i += TSimd.Count) TSimd.Store(d, i, TSimd.Load(x, i) + TSimd.Load(y, i));
                break;
            case Kind.Mul:
                for (; i <= n; i += TSimd.Count) TSimd.Store(d, i, TSimd.Load(x, i) * TSimd.Load(y, i));
                break;
            default:
                for (; i <= n; i += TSimd.Count) TSimd.Store(d, i, TSimd.Load(x, i) * TSimd.Load(y, i) + TSimd.Load(z, i));
                break;
        }
        return i;
    }

    private static void Tail(Kind kind, Span<T> d, ReadOnlySpan<T> x, ReadOnlySpan<T> y, ReadOnlySpan<T> z, int i)
    {
        for (; i < d.Length; i++)
        {
            d[i] = kind switch
            {
                Kind.Copy => x[i],
                Kind.Add => x[i] + y[i],
                Kind.Mul => x[i] * y[i],
                _ => x[i] * y[i] + z[i],
            };
        }
    }
}
