using System.Numerics;
using System.Runtime.InteropServices;

namespace RnnGen.Kernels;

/// <summary>
/// General matrix products on row-major matrices: C = op(A) op(B), or C += op(A) op(B) with
/// <c>accumulate</c>. op(A) is [m, k] and op(B) is [k, n]; a transposed operand is read in place.
/// </summary>
public static class Gemm
{
    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, Span<float> c, int ldc, bool accumulate) =>
        Reference(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);

    public static void Multiply(bool transposeA, bool transposeB, int m, int n, int k,
        ReadOnlySpan<double> a, int lda, ReadOnlySpan<double> b, int ldb, Span<double> c, int ldc, bool accumulate) =>
        Reference(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc, accumulate);

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
