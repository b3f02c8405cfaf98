using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace RnnGen.Kernels;

/// <summary>
/// General matrix products on row-major matrices: C = op(A) op(B), or C += op(A) op(B) with
/// <c>accumulate</c>. op(A) is [m, k] and op(B) is [k, n]; a transposed operand is read in place.
/// </summary>
/// <remarks>
/// Products of a few rows go to <see cref="GemmSmall"/>; the rest to the packed, cache-blocked
/// <see cref="GemmDriver"/>. Products big enough to repay waking a second core are split into
/// independent column (or row) blocks of C run by <see cref="GemmParallel"/>.
/// </remarks>
public static unsafe partial class Gemm
{
    /// <summary>Below this many flops (2 m n k) a product stays on the calling thread: waking a worker and
    /// sharing the packing would cost more than it saves (a 32 x 128 x 384 step is 3 Mflop, ~20 µs).</summary>
    internal const double ParallelMinFlops = 8e6;

    /// <summary>The most threads one product may use: the one setting <see cref="Parallelism.MaxThreads"/>, kept here
    /// so that code written against the earlier name still builds.</summary>
    [Obsolete("Use RnnGen.Parallelism.MaxThreads, the one thread setting for products, passes and batch splits.")]
    [System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
    public static int MaxThreads
    {
        get => Parallelism.MaxThreads;
        set => Parallelism.MaxThreads = value;
    }

    /// <summary>The widest instruction set this machine runs the kernels on.</summary>
    internal static readonly GemmIsa HardwareIsa =
        Vector512.IsHardwareAccelerated && Avx512F.IsSupported ? GemmIsa.Vector512
        : Vector256.IsHardwareAccelerated ? GemmIsa.Vector256
        : GemmIsa.Scalar;

    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate) =>
        Multiply(HardwareIsa, Parallelism.MaxThreads, transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);

    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, Span<double> c, int ldc, bool accumulate) =>
        Multiply(HardwareIsa, Parallelism.MaxThreads, transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);

    /// <summary>The float or double product, for code generic over the element type (generated cells).</summary>
    public static void Multiply<T>(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate)
        where T : unmanaged
    {
        if (typeof(T) == typeof(float))
            Multiply(transposeA, transposeB, m, n, k, MemoryMarshal.Cast<T, float>(a), lda, MemoryMarshal.Cast<T, float>(b), ldb,
                MemoryMarshal.Cast<T, float>(c), ldc, accumulate);
        else if (typeof(T) == typeof(double))
            Multiply(transposeA, transposeB, m, n, k, MemoryMarshal.Cast<T, double>(a), lda, MemoryMarshal.Cast<T, double>(b), ldb,
                MemoryMarshal.Cast<T, double>(c), ldc, accumulate);
        else
            throw new NotSupportedException($"Gemm supports float and double, not {typeof(T).Name}.");
    }

    /// <summary>The product on a chosen instruction set and thread count: tests cover every kernel width with it.</summary>
    internal static void Multiply<T>(GemmIsa isa, int maxThreads, bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        if (m == 0 || n == 0)
            return;
        CheckOperand(c, ldc, m, n, nameof(c));
        if (k == 0)
        {
            // An empty sum: C = 0, or C unchanged when accumulating.
            if (!accumulate)
                for (int i = 0; i < m; i++) c.Slice(i * ldc, n).Clear();
            return;
        }
        if (transposeA) CheckOperand(a, lda, k, m, nameof(a)); else CheckOperand(a, lda, m, k, nameof(a));
        if (transposeB) CheckOperand(b, ldb, n, k, nameof(b)); else CheckOperand(b, ldb, k, n, nameof(b));

        // Pinned for the duration: the kernels (and the worker thread) address the operands by pointer.
        fixed (T* pa = a, pb = b, pc = c)
        {
            var g = new GemmArgs<T>
            {
                TransposeA = transposeA, TransposeB = transposeB, Accumulate = accumulate,
                M = m, N = n, K = k, A = pa, B = pb, C = pc, Lda = lda, Ldb = ldb, Ldc = ldc,
            };
            // The thread count is honoured even above the core count: a split never changes a result, and tests force any split.
            if (maxThreads < 2 || Work(m, n, k) < ParallelMinFlops || !GemmSplit<T>.TryRun(isa, maxThreads, g))
                Run(isa, g);
        }
    }

    /// <summary>
    /// The cost of a product in flop-equivalents: 2 m n k, except that a product of a few rows streams all
    /// of B for little arithmetic, so it costs about what a 16-row one does (a 1 x 512 x 1536 step reads
    /// 3 MB of B from L3; two cores read it twice as fast).
    /// </summary>
    internal static double Work(int m, int n, int k) => 2.0 * Math.Max(m, m <= GemmSmall.MaxRows ? 16 : 0) * n * k;

    /// <summary>One single-threaded product on the chosen kernel width.</summary>
    internal static void Run<T>(GemmIsa isa, in GemmArgs<T> g)
        where T : unmanaged, INumber<T>
    {
        switch (isa)
        {
            case GemmIsa.Vector512: Run<T, GemmVector512<T>>(g); break;
            case GemmIsa.Vector256: Run<T, GemmVector256<T>>(g); break;
            default: Run<T, GemmScalar<T>>(g); break;
        }
    }

    private static void Run<T, TV>(in GemmArgs<T> g)
        where T : unmanaged, INumber<T>
        where TV : struct, IGemmVector<TV, T>
    {
        if (g.M <= GemmSmall.MaxRows)
            GemmSmall.Run<T, TV>(g);
        else
            GemmDriver.Run<T, TV>(g);
    }

    /// <summary>The register tile (MR, NR) of a kernel width: the granularity of a parallel split.</summary>
    internal static (int Rows, int Cols) Tile<T>(GemmIsa isa)
        where T : unmanaged, INumber<T> => isa switch
    {
        GemmIsa.Vector512 => (GemmVector512<T>.Rows, 2 * GemmVector512<T>.Count),
        GemmIsa.Vector256 => (GemmVector256<T>.Rows, 2 * GemmVector256<T>.Count),
        _ => (GemmScalar<T>.Rows, 2 * GemmScalar<T>.Count),
    };

    private static void CheckOperand<T>(ReadOnlySpan<T> x, int ld, int rows, int cols, string name)
    {
        if (ld < cols)
            throw new ArgumentOutOfRangeException(name, $"The leading dimension {ld} is smaller than the {cols} columns.");
        if (rows > 0 && cols > 0 && (long)(rows - 1) * ld + cols > x.Length)
            throw new ArgumentException($"{name} holds {x.Length} elements; a [{rows}, {cols}] matrix with leading dimension {ld} needs {(long)(rows - 1) * ld + cols}.", name);
    }

    /// <summary>The textbook triple loop: the yardstick the fast paths are tested against.</summary>
    internal static void Reference<T>(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                T sum = T.Zero;
                for (int p = 0; p < k; p++)
                {
                    T x = transposeA ? a[p * lda + i] : a[i * lda + p];
                    T y = transposeB ? b[j * ldb + p] : b[p * ldb + j];
                    sum += x * y;
                }
                c[i * ldc + j] = accumulate ? c[i * ldc + j] + sum : sum;
            }
        }
    }
}
