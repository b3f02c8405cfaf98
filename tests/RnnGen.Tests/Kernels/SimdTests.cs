using RnnGen.Kernels;

namespace RnnGen.Tests.Kernels;

public class SimdTests
{
    [Theory]
    [InlineData(-30.0)]
    [InlineData(-2.5)]
    [InlineData(-1e-3)]
    [InlineData(0.0)]
    [InlineData(0.7)]
    [InlineData(12.0)]
    [InlineData(100.0)]
    public void Vector_and_scalar_paths_agree_with_the_math_library(double x)
    {
        var input = Enumerable.Repeat(x, 16).ToArray();
        var v = Simd512<double>.Load(input, 0);
        var s = Scalar<double>.Load(input, 0);
        double sigmoid = 1 / (1 + Math.Exp(-x));
        Assert.Equal(sigmoid, Simd512<double>.Sum(Simd512<double>.Sigmoid(v)) / Simd512<double>.Count, 12);
        Assert.Equal(sigmoid, Scalar<double>.Sigmoid(s).Value, 12);
        Assert.Equal(Math.Tanh(x), Simd512<double>.Sum(Simd512<double>.Tanh(v)) / Simd512<double>.Count, 12);
        Assert.Equal(Math.Tanh(x), Scalar<double>.Tanh(s).Value, 12);
        var f = input.Select(d => (float)d).ToArray();
        Assert.Equal((float)Math.Tanh(x), Simd256<float>.Sum(Simd256<float>.Tanh(Simd256<float>.Load(f, 0))) / Simd256<float>.Count, 5);
        Assert.Equal(Math.Max(x, 0), Scalar<double>.Relu(s).Value);
        Assert.Equal(x > 0 ? 1.0 : 0.0, Simd512<double>.Sum(Simd512<double>.Positive(v)) / Simd512<double>.Count);
    }
}

public class FastExpTests
{
    [Fact]
    public void Float_exp_is_within_a_few_ulp_of_the_double_exp_and_never_infinite()
    {
        var input = new float[16];
        double worst = 0;
        for (double x = -80; x <= 80; x += 0.0137)
        {
            input.AsSpan().Fill((float)x);
            float e = Simd512<float>.Exp(Simd512<float>.Load(input, 0)).Value[3];
            float e256 = Simd256<float>.Exp(Simd256<float>.Load(input, 0)).Value[5];
            double exact = Math.Exp((float)x);
            worst = Math.Max(worst, Math.Abs(e - exact) / exact);
            Assert.Equal(e, e256);
        }
        Assert.True(worst < 4e-7, $"relative error {worst:E2}");
        input.AsSpan().Fill(1000f);
        Assert.True(float.IsFinite(Simd512<float>.Exp(Simd512<float>.Load(input, 0)).Value[0]));
        input.AsSpan().Fill(-1000f);
        Assert.True(Simd512<float>.Exp(Simd512<float>.Load(input, 0)).Value[0] < 1e-37f);
        Assert.Equal(1f, Simd512<float>.Sigmoid(Simd512<float>.Load(Enumerable.Repeat(200f, 16).ToArray(), 0)).Value[0]);
        Assert.Equal(-1f, Simd512<float>.Tanh(Simd512<float>.Load(Enumerable.Repeat(-50f, 16).ToArray(), 0)).Value[0]);
    }
}
