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
