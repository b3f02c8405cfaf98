using System.Numerics;

namespace RnnGen.Tests.Kernels;

/// <summary>
/// The SIMD operations added for the 2017-2025 cells, on every path (Scalar, Simd256, Simd512: the last runs
/// in software where the machine lacks AVX-512) and in float and double, against System.Math in double.
/// Bounds, in units in the last place of the result's type:
/// <list type="bullet">
/// <item>/, Reciprocal, Sqrt, Abs, Max, Min, GreaterOrEqual, Sign: exact (IEEE results; the double reference
/// rounded to float is the correctly rounded float, since 53 ≥ 2·24 + 2 bits).</item>
/// <item>Log: 2 ulp (the library's vector log; the scalar path is the runtime's log). Measured here: 1.</item>
/// <item>Softplus, LogSigmoid: 6 ulp (measured here: 2 on the scalar and float paths, 4 on the double vector
/// paths, whose exp and log each add an ulp to the log1p rewrite). The float vector paths use the project's exp, which clamps its input at
/// -87.3 instead of underflowing into subnormals, so there they are off by at most 1.2e-38 absolute where
/// the exact value is below that (Softplus of a &lt; -87, LogSigmoid of a &gt; 87).</item>
/// </list>
/// Special values: Log(±0) = -∞, Log(x &lt; 0) = NaN, Sqrt(x &lt; 0) = NaN, Max/Min of a NaN are NaN,
/// Softplus(+∞) = +∞, LogSigmoid(-∞) = -∞, Sign and GreaterOrEqual give 0 for NaN.
/// </summary>
public class SimdMathTests
{
    public enum Op { Divide, Max, Min, Abs, Sqrt, Log, Softplus, LogSigmoid, Reciprocal, GreaterOrEqual, Sign }
    public enum Path { Scalar, Simd256, Simd512 }

    private static readonly Op[] Binary = [Op.Divide, Op.Max, Op.Min, Op.GreaterOrEqual];

    public static TheoryData<Op, Path, bool> Cases()
    {
        var data = new TheoryData<Op, Path, bool>();
        foreach (var op in Enum.GetValues<Op>())
            foreach (var path in Enum.GetValues<Path>())
                foreach (bool single in new[] { true, false })
                    data.Add(op, path, single);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Operation_matches_the_math_library_within_its_stated_bound(Op op, Path path, bool single)
    {
        var (x, y) = Inputs(single, Binary.Contains(op));
        double[] got = single
            ? path switch
            {
                Path.Scalar => Apply<Scalar<float>, float>(op, x, y),
                Path.Simd256 => Apply<Simd256<float>, float>(op, x, y),
                _ => Apply<Simd512<float>, float>(op, x, y),
            }
            : path switch
            {
                Path.Scalar => Apply<Scalar<double>, double>(op, x, y),
                Path.Simd256 => Apply<Simd256<double>, double>(op, x, y),
                _ => Apply<Simd512<double>, double>(op, x, y),
            };
        double ulps = op switch
        {
            Op.Log => 2,
            Op.Softplus or Op.LogSigmoid => 6,
            _ => 0,
        };
        double floor = single && path != Path.Scalar && op is Op.Softplus or Op.LogSigmoid ? 1.2e-38 : 0;
        double worst = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double expected = Reference(op, x[i], y[i]);
            if (single) expected = (float)expected;
            string where = $"{op}({x[i]:R}, {y[i]:R}) on {path} in {(single ? "float" : "double")}: got {got[i]:R}, expected {expected:R}";
            if (double.IsNaN(expected))
            {
                Assert.True(double.IsNaN(got[i]), where);
                continue;
            }
            if (double.IsInfinity(expected) || ulps == 0)
            {
                Assert.True(expected.Equals(got[i]), where);
                continue;
            }
            double error = Math.Abs(got[i] - expected);
            Assert.True(error <= ulps * Ulp(expected, single) + floor, where);
            if (error > floor) worst = Math.Max(worst, error / Ulp(expected, single));
        }
        Assert.True(worst <= ulps, $"{op} on {path} in {(single ? "float" : "double")}: {worst} ulp");
    }

    [Fact]
    public void Special_values_behave_as_stated()
    {
        float nan = float.NaN, inf = float.PositiveInfinity;
        Assert.Equal(float.NegativeInfinity, One(Op.Log, 0f));
        Assert.Equal(float.NegativeInfinity, One(Op.Log, -0f));
        Assert.True(float.IsNaN(One(Op.Log, -1f)));
        Assert.Equal(inf, One(Op.Log, inf));
        Assert.True(float.IsNaN(One(Op.Sqrt, -1f)));
        Assert.Equal(inf, One(Op.Softplus, inf));
        Assert.True(One(Op.Softplus, float.NegativeInfinity) is >= 0 and < 1.2e-38f);
        Assert.True(float.IsNaN(One(Op.Softplus, nan)));
        Assert.Equal(float.NegativeInfinity, One(Op.LogSigmoid, float.NegativeInfinity));
        Assert.True(One(Op.LogSigmoid, inf) is <= 0 and > -1.2e-38f);
        Assert.True(float.IsNaN(One(Op.LogSigmoid, nan)));
        Assert.True(float.IsNaN(One(Op.Max, nan, 1f)) && float.IsNaN(One(Op.Max, 1f, nan)));
        Assert.True(float.IsNaN(One(Op.Min, nan, 1f)) && float.IsNaN(One(Op.Min, 1f, nan)));
        Assert.True(float.IsPositive(One(Op.Max, -0f, 0f)) && float.IsPositive(One(Op.Max, 0f, -0f)));
        Assert.True(float.IsNegative(One(Op.Min, -0f, 0f)) && float.IsNegative(One(Op.Min, 0f, -0f)));
        Assert.Equal(0f, One(Op.Sign, nan));
        Assert.Equal(0f, One(Op.Sign, -0f));
        Assert.Equal(0f, One(Op.GreaterOrEqual, nan, 1f));
        Assert.Equal(1f, One(Op.GreaterOrEqual, 2f, 2f)); // a tie sends Max's gradient to the first operand
        Assert.Equal(float.NegativeInfinity, One(Op.Reciprocal, -0f));
    }

    /// <summary>The same value through every float path, which must agree on the special values.</summary>
    private static float One(Op op, float a, float b = 0)
    {
        double[] x = [a], y = [b];
        double s = Apply<Scalar<float>, float>(op, x, y)[0];
        double v256 = Apply<Simd256<float>, float>(op, x, y)[0];
        double v512 = Apply<Simd512<float>, float>(op, x, y)[0];
        Assert.True(s.Equals(v256) && s.Equals(v512) || op is Op.Softplus or Op.LogSigmoid, $"{op}({a}): {s} {v256} {v512}");
        return (float)v256;
    }

    private static double Reference(Op op, double a, double b) => op switch
    {
        Op.Divide => a / b,
        Op.Max => Math.Max(a, b),
        Op.Min => Math.Min(a, b),
        Op.Abs => Math.Abs(a),
        Op.Sqrt => Math.Sqrt(a),
        Op.Log => Math.Log(a),
        Op.Softplus => double.IsNaN(a) ? double.NaN : Log1p(Math.Exp(-Math.Abs(a))) + Math.Max(a, 0),
        Op.LogSigmoid => double.IsNaN(a) ? double.NaN : Math.Min(a, 0) - Log1p(Math.Exp(-Math.Abs(a))),
        Op.Reciprocal => 1 / a,
        Op.GreaterOrEqual => a >= b ? 1 : 0,
        Op.Sign => a > 0 ? 1 : a < 0 ? -1 : 0,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>log(1 + e) in double to about an ulp: log(u) for the rounded u = 1 + e, plus the first-order
    /// correction for what the rounding of u dropped (u - 1 is exact here).</summary>
    private static double Log1p(double e)
    {
        double u = 1 + e;
        return Math.Log(u) + (e - (u - 1)) / u;
    }

    /// <summary>The spacing of the result's type at <paramref name="value"/>.</summary>
    private static double Ulp(double value, bool single)
    {
        if (single)
        {
            float f = Math.Abs((float)value);
            return f == float.MaxValue ? f - MathF.BitDecrement(f) : MathF.BitIncrement(f) - (double)f;
        }
        double d = Math.Abs(value);
        return d == double.MaxValue ? d - Math.BitDecrement(d) : Math.BitIncrement(d) - d;
    }

    private static double[] Apply<TSimd, T>(Op op, double[] x, double[] y)
        where TSimd : struct, ISimd<TSimd, T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        int n = TSimd.Count;
        int padded = (x.Length + n - 1) / n * n;
        var a = new T[padded];
        var b = new T[padded];
        var r = new T[padded];
        for (int i = 0; i < x.Length; i++)
        {
            a[i] = T.CreateTruncating(x[i]);
            b[i] = T.CreateTruncating(y[i]);
        }
        for (int i = 0; i < padded; i += n)
        {
            var va = TSimd.Load(a, i);
            var vb = TSimd.Load(b, i);
            TSimd.Store(r, i, op switch
            {
                Op.Divide => va / vb,
                Op.Max => TSimd.Max(va, vb),
                Op.Min => TSimd.Min(va, vb),
                Op.Abs => TSimd.Abs(va),
                Op.Sqrt => TSimd.Sqrt(va),
                Op.Log => TSimd.Log(va),
                Op.Softplus => TSimd.Softplus(va),
                Op.LogSigmoid => TSimd.LogSigmoid(va),
                Op.Reciprocal => TSimd.Reciprocal(va),
                Op.GreaterOrEqual => TSimd.GreaterOrEqual(va, vb),
                Op.Sign => TSimd.Sign(va),
                _ => throw new ArgumentOutOfRangeException(nameof(op)),
            });
        }
        return r.Take(x.Length).Select(double.CreateTruncating).ToArray();
    }

    /// <summary>
    /// Edge values (zeros, subnormals, the smallest normal, ±1 and its neighbours, the exp limits, the largest
    /// finite, infinities, NaN), a dense grid over [-100, 100], magnitudes from 1e-300 to 1e300 and random ones
    /// over the type's whole range, each also
    /// negated; for two operands, every value against a shuffled copy and against itself (ties).
    /// </summary>
    private static (double[] X, double[] Y) Inputs(bool single, bool binary)
    {
        var values = new List<double>
        {
            0, single ? float.Epsilon : double.Epsilon, single ? 1e-40f : 1e-310,
            single ? 1.17549435e-38f : 2.2250738585072014e-308, 1, single ? MathF.BitIncrement(1f) : Math.BitIncrement(1.0),
            single ? MathF.BitDecrement(1f) : Math.BitDecrement(1.0), 0.5, 2, 87.3, 88, 88.8, 100, 700, 710, 745, 1e30,
            single ? float.MaxValue : double.MaxValue, double.PositiveInfinity,
        };
        for (double v = -100; v <= 100; v += 0.0731) values.Add(v);
        for (double e = -300; e <= 300; e += 1.37) values.Add(Math.Pow(10, e) * 1.234567);
        var random = new Random(12);
        for (int i = 0; i < 4000; i++)
            values.Add(Math.Pow(10, (random.NextDouble() * 2 - 1) * (single ? 40 : 310)) * (random.NextDouble() + 0.5));
        var all = values.Concat(values.Select(v => -v)).Select(v => single ? (float)v : v).Append(double.NaN).ToArray();
        if (!binary)
            return (all, new double[all.Length]);
        var shuffled = all.OrderBy(v => new Random(BitConverter.DoubleToInt64Bits(v).GetHashCode()).Next()).ToArray();
        return (all.Concat(all).ToArray(), shuffled.Concat(all).ToArray());
    }
}
