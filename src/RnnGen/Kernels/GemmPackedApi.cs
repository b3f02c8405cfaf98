using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace RnnGen.Kernels;

public static unsafe partial class Gemm
{
    /// <summary>
    /// Packs op(B) [k, n] (B stored [k, n], or [n, k] with <paramref name="transposeB"/>) into
    /// <paramref name="destination"/> for products that reuse it, reusing its buffer when large enough.
    /// </summary>
    public static void Pack(bool transposeB, int k, int n, ReadOnlySpan<float> b, int ldb, PackedMatrix<float> destination) =>
        Pack(HardwareIsa, transposeB, k, n, b, ldb, destination);

    /// <inheritdoc cref="Pack(bool, int, int, ReadOnlySpan{float}, int, PackedMatrix{float})"/>
    public static void Pack(bool transposeB, int k, int n, ReadOnlySpan<double> b, int ldb, PackedMatrix<double> destination) =>
        Pack(HardwareIsa, transposeB, k, n, b, ldb, destination);

    /// <summary>The float or double packing, for code generic over the element type (generated cells).</summary>
    public static void Pack<T>(bool transposeB, int k, int n, ReadOnlySpan<T> b, int ldb, PackedMatrix<T> destination)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            Pack(HardwareIsa, transposeB, k, n, MemoryMarshal.Cast<T, float>(b), ldb, Unsafe.As<PackedMatrix<float>>(destination));
        else if (typeof(T) == typeof(double))
            Pack(HardwareIsa, transposeB, k, n, MemoryMarshal.Cast<T, double>(b), ldb, Unsafe.As<PackedMatrix<double>>(destination));
        else
            throw new NotSupportedException($"Gemm supports float and double, not {typeof(T).Name}.");
    }

    /// <summary>C = A · op(B), or C += A · op(B) with <paramref name="accumulate"/>: A [m, b.K] row-major,
    /// op(B) the packed [b.K, b.N], C [m, b.N].</summary>
    public static void Multiply(int m, ReadOnlySpan<float> a, int lda, PackedMatrix<float> b, Span<float> c, int ldc, bool accumulate) =>
        Multiply(Parallelism.MaxThreads, false, m, a, lda, b, c, ldc, accumulate);

    /// <inheritdoc cref="Multiply(int, ReadOnlySpan{float}, int, PackedMatrix{float}, Span{float}, int, bool)"/>
    public static void Multiply(int m, ReadOnlySpan<double> a, int lda, PackedMatrix<double> b, Span<double> c, int ldc, bool accumulate) =>
        Multiply(Parallelism.MaxThreads, false, m, a, lda, b, c, ldc, accumulate);

    /// <summary>C (+)= op(A) · op(B) on a packed B: op(A) is [m, b.K], stored [b.K, m] when <paramref name="transposeA"/>.</summary>
    public static void Multiply(bool transposeA, int m, ReadOnlySpan<float> a, int lda, PackedMatrix<float> b, Span<float> c, int ldc, bool accumulate) =>
        Multiply(Parallelism.MaxThreads, transposeA, m, a, lda, b, c, ldc, accumulate);

    /// <inheritdoc cref="Multiply(bool, int, ReadOnlySpan{float}, int, PackedMatrix{float}, Span{float}, int, bool)"/>
    public static void Multiply(bool transposeA, int m, ReadOnlySpan<double> a, int lda, PackedMatrix<double> b, Span<double> c, int ldc, bool accumulate) =>
        Multiply(Parallelism.MaxThreads, transposeA, m, a, lda, b, c, ldc, accumulate);

    /// <summary>The product on a packed B for code generic over the element type (generated cells).</summary>
    public static void Multiply<T>(int m, ReadOnlySpan<T> a, int lda, PackedMatrix<T> b, Span<T> c, int ldc, bool accumulate)
        where T : unmanaged => Multiply(false, m, a, lda, b, c, ldc, accumulate);

    /// <inheritdoc cref="Multiply(bool, int, ReadOnlySpan{float}, int, PackedMatrix{float}, Span{float}, int, bool)"/>
    public static void Multiply<T>(bool transposeA, int m, ReadOnlySpan<T> a, int lda, PackedMatrix<T> b, Span<T> c, int ldc, bool accumulate)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            Multiply(Parallelism.MaxThreads, transposeA, m, MemoryMarshal.Cast<T, float>(a), lda, Unsafe.As<PackedMatrix<float>>(b),
                MemoryMarshal.Cast<T, float>(c), ldc, accumulate);
        else if (typeof(T) == typeof(double))
            Multiply(Parallelism.MaxThreads, transposeA, m, MemoryMarshal.Cast<T, double>(a), lda, Unsafe.As<PackedMatrix<double>>(b),
                MemoryMarshal.Cast<T, double>(c), ldc, accumulate);
        else
            throw new NotSupportedException($"Gemm supports float and double, not {typeof(T).Name}.");
    }

    /// <summary>Packing for a chosen kernel width: tests cover every width with it.</summary>
    internal static void Pack<T>(GemmIsa isa, bool transposeB, int k, int n, ReadOnlySpan<T> b, int ldb, PackedMatrix<T> destination)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(destination);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (k > 0 && n > 0)
        {
            if (transposeB) CheckOperand(b, ldb, n, k, nameof(b)); else CheckOperand(b, ldb, k, n, nameof(b));
        }
        int nr = Tile<T>(isa).Cols;
        destination.Reshape(isa, nr, GemmDriver.KcBytes / sizeof(T), k, n);
        if (k == 0 || n == 0)
            return;
        fixed (T* pb = b)
        {
            switch (isa)
            {
                case GemmIsa.Vector512: PackBlocks<T, GemmVector512<T>>(transposeB, pb, ldb, destination); break;
                case GemmIsa.Vector256: PackBlocks<T, GemmVector256<T>>(transposeB, pb, ldb, destination); break;
                default: PackBlocks<T, GemmScalar<T>>(transposeB, pb, ldb, destination); break;
            }
        }
    }

    private static void PackBlocks<T, TV>(bool transposeB, T* b, nint ldb, PackedMatrix<T> destination)
        where T : unmanaged, INumber<T>
        where TV : struct, IGemmVector<TV, T>
    {
        int k = destination.K, n = destination.N, kcMax = destination.BlockDepth;
        for (int pc = 0; pc < k; pc += kcMax)
        {
            int kc = Math.Min(kcMax, k - pc);
            // op(B)[pc.., 0..]: panels of this block land one after the other.
            T* block = transposeB ? b + pc : b + pc * ldb;
            GemmPacking.PackB<T, TV>(transposeB, kc, n, block, ldb, destination.Data + (nint)pc * destination.PaddedColumns);
        }
    }

    /// <summary>The product on a packed B with a chosen thread count (the kernel width is the one it was packed for).</summary>
    internal static void Multiply<T>(int maxThreads, bool transposeA, int m, ReadOnlySpan<T> a, int lda, PackedMatrix<T> b,
        Span<T> c, int ldc, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        int n = b.N, k = b.K;
        if (m == 0 || n == 0)
            return;
        CheckOperand(c, ldc, m, n, nameof(c));
        if (k == 0)
        {
            if (!accumulate)
                for (int i = 0; i < m; i++) c.Slice(i * ldc, n).Clear();
            return;
        }
        if (transposeA) CheckOperand(a, lda, k, m, nameof(a)); else CheckOperand(a, lda, m, k, nameof(a));

        fixed (T* pa = a, pc = c)
        {
            var g = new PackedArgs<T>
            {
                TransposeA = transposeA, Accumulate = accumulate, M = m, N = n, K = k,
                A = pa, C = pc, Lda = lda, Ldc = ldc,
                B = b.Data, PaddedColumns = b.PaddedColumns, BlockDepth = b.BlockDepth, Column = 0,
            };
            if (maxThreads < 2 || Work(m, n, k) < ParallelMinFlops || !GemmPackedSplit<T>.TryRun(b.Isa, maxThreads, g))
                GemmPacked.Run(b.Isa, g);
        }
    }
}
