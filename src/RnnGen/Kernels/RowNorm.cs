using System.ComponentModel;
using System.Numerics;

namespace RnnGen.Kernels;

/// <summary>
/// The row reductions of layer normalisation, which the recurrence driver (RnnGen.Recurrence) computes between two
/// segments of a pass: the one runtime place of LayerNorm's math. The rest of it is the generator's operation table,
/// whose terms define these sums too (tests/RnnGen.Generators.Tests/Analysis/OperationTableTests.cs holds them to it).
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class RowNorm
{
    /// <summary>The variance floor, as PyTorch's nn.LayerNorm default.</summary>
    public const double Epsilon = 1e-5;

    /// <summary>Mean and 1 / sqrt(variance + eps) of a row (biased variance, two passes for accuracy).</summary>
    public static void Statistics<T>(ReadOnlySpan<T> row, out T mean, out T rstd) where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double sum = 0;
        foreach (var v in row) sum += double.CreateTruncating(v);
        double m = sum / row.Length;
        double squares = 0;
        foreach (var v in row)
        {
            double d = double.CreateTruncating(v) - m;
            squares += d * d;
        }
        mean = T.CreateTruncating(m);
        rstd = T.CreateTruncating(1 / Math.Sqrt(squares / row.Length + Epsilon));
    }

    /// <summary>
    /// The two row means the input's adjoint needs: m1 = mean(dy * gain), m2 = mean(dy * gain * xhat),
    /// where xhat = (v - mean) * rstd. Then dv = rstd * (dy * gain - m1 - xhat * m2).
    /// </summary>
    public static void BackwardSums<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> gain, ReadOnlySpan<T> v, T mean, T rstd, out T m1, out T m2)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        double s1 = 0, s2 = 0, mu = double.CreateTruncating(mean), r = double.CreateTruncating(rstd);
        for (int j = 0; j < dy.Length; j++)
        {
            double g = double.CreateTruncating(dy[j]) * double.CreateTruncating(gain[j]);
            s1 += g;
            s2 += g * (double.CreateTruncating(v[j]) - mu) * r;
        }
        m1 = T.CreateTruncating(s1 / dy.Length);
        m2 = T.CreateTruncating(s2 / dy.Length);
    }
}
