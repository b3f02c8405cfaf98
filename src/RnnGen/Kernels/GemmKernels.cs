using System.Numerics;
using System.Runtime.CompilerServices;

namespace RnnGen.Kernels;

/// <summary>
/// The register-blocked micro-kernel: an MR x NR block of C (MR = TV.Rows, NR = 2 TV.Count) held in
/// registers while kc rank-1 updates stream past it. Per step it loads two vectors of B and
/// broadcasts MR scalars of A, for 2 MR fused multiply-adds: the FMA units, not the loads, set the pace.
/// </summary>
internal static unsafe class GemmKernels
{
    /// <summary>
    /// C[MR, NR] = (add ? C : 0) + A·B, where A is a packed panel (kc steps of MR contiguous values) and
    /// B holds kc rows of NR contiguous values, <paramref name="bStride"/> apart (NR when packed, ldb
    /// when read in place).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MicroKernel<T, TV>(nint kc, T* a, T* b, nint bStride, T* c, nint ldc, bool add)
        where T : unmanaged, INumber<T>
        where TV : struct, IGemmVector<TV, T>
    {
        // TV.Rows and TV.Count are JIT-time constants: the row tests below vanish and unused
        // accumulators are never materialised.
        int mr = TV.Rows;
        nint w = TV.Count;
        TV c00 = TV.Zero, c01 = TV.Zero, c10 = TV.Zero, c11 = TV.Zero, c20 = TV.Zero, c21 = TV.Zero, c30 = TV.Zero, c31 = TV.Zero;
        TV c40 = TV.Zero, c41 = TV.Zero, c50 = TV.Zero, c51 = TV.Zero, c60 = TV.Zero, c61 = TV.Zero, c70 = TV.Zero, c71 = TV.Zero;
        for (nint p = 0; p < kc; p++)
        {
            TV b0 = TV.Load(b);
            TV b1 = TV.Load(b + w);
            TV x = TV.Broadcast(a);
            c00 = TV.MultiplyAdd(x, b0, c00); c01 = TV.MultiplyAdd(x, b1, c01);
            x = TV.Broadcast(a + 1);
            c10 = TV.MultiplyAdd(x, b0, c10); c11 = TV.MultiplyAdd(x, b1, c11);
            x = TV.Broadcast(a + 2);
            c20 = TV.MultiplyAdd(x, b0, c20); c21 = TV.MultiplyAdd(x, b1, c21);
            x = TV.Broadcast(a + 3);
            c30 = TV.MultiplyAdd(x, b0, c30); c31 = TV.MultiplyAdd(x, b1, c31);
            if (mr > 4)
            {
                x = TV.Broadcast(a + 4);
                c40 = TV.MultiplyAdd(x, b0, c40); c41 = TV.MultiplyAdd(x, b1, c41);
                x = TV.Broadcast(a + 5);
                c50 = TV.MultiplyAdd(x, b0, c50); c51 = TV.MultiplyAdd(x, b1, c51);
            }
            if (mr > 6)
            {
                x = TV.Broadcast(a + 6);
                c60 = TV.MultiplyAdd(x, b0, c60); c61 = TV.MultiplyAdd(x, b1, c61);
                x = TV.Broadcast(a + 7);
                c70 = TV.MultiplyAdd(x, b0, c70); c71 = TV.MultiplyAdd(x, b1, c71);
            }
            a += mr;
            b += bStride;
        }
        StoreRow<T, TV>(c, w, add, c00, c01);
        StoreRow<T, TV>(c + ldc, w, add, c10, c11);
        StoreRow<T, TV>(c + 2 * ldc, w, add, c20, c21);
        StoreRow<T, TV>(c + 3 * ldc, w, add, c30, c31);
        if (mr > 4)
        {
            StoreRow<T, TV>(c + 4 * ldc, w, add, c40, c41);
            StoreRow<T, TV>(c + 5 * ldc, w, add, c50, c51);
        }
        if (mr > 6)
        {
            StoreRow<T, TV>(c + 6 * ldc, w, add, c60, c61);
            StoreRow<T, TV>(c + 7 * ldc, w, add, c70, c71);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<T, TV>(T* c, nint w, bool add, TV v0, TV v1)
        where T : unmanaged, INumber<T>
        where TV : struct, IGemmVector<TV, T>
    {
        if (add)
        {
            v0 = TV.Add(TV.Load(c), v0);
            v1 = TV.Add(TV.Load(c + w), v1);
        }
        TV.Store(c, v0);
        TV.Store(c + w, v1);
    }

    /// <summary>
    /// An edge tile (fewer than MR rows or NR columns left): the full kernel writes into a scratch tile,
    /// and only the valid corner is merged into C. Packing padded A and B with zeros keeps the scratch exact.
    /// </summary>
    public static void EdgeKernel<T, TV>(nint kc, T* a, T* b, nint bStride, T* c, nint ldc, bool add, int rows, int cols)
        where T : unmanaged, INumber<T>
        where TV : struct, IGemmVector<TV, T>
    {
        int nr = 2 * TV.Count;
        // 8 x 32 floats or 8 x 16 doubles at most: 1 KiB on the stack.
        T* tile = stackalloc T[TV.Rows * nr];
        MicroKernel<T, TV>(kc, a, b, bStride, tile, nr, add: false);
        for (int i = 0; i < rows; i++)
        {
            T* src = tile + i * nr;
            T* dst = c + i * ldc;
            if (add)
                for (int j = 0; j < cols; j++) dst[j] += src[j];
            else
                for (int j = 0; j < cols; j++) dst[j] = src[j];
        }
    }
}
