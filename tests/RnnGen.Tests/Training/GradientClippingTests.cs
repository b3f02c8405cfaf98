namespace RnnGen.Tests.Training;

public class GradientClippingTests
{
    private static double ReferenceNorm(float[] g) => Math.Sqrt(g.Sum(x => (double)x * x));

    [Fact]
    public void Large_gradients_are_scaled_to_the_maximum_norm_and_the_old_norm_is_returned()
    {
        var model = TestParameters.Default();
        model.SetGradients(3);
        float[] before = (float[])model.Gradients.Clone();
        double norm = ReferenceNorm(before);
        Assert.True(norm > 1);

        float returned = GradientClipping.ClipGlobalNorm(model.List, 1f);

        Assert.Equal(norm, returned, 4);
        double scale = 1 / (norm + 1e-6);
        for (int i = 0; i < before.Length; i++)
            Assert.Equal(before[i] * scale, model.Gradients[i], 6);
        Assert.Equal(1.0, ReferenceNorm(model.Gradients), 5);
    }

    [Fact]
    public void Small_gradients_are_left_alone()
    {
        var model = TestParameters.Default();
        model.SetGradients(3);
        float[] before = (float[])model.Gradients.Clone();
        float returned = GradientClipping.ClipGlobalNorm(model.List, 1000f);
        Assert.Equal(ReferenceNorm(before), returned, 4);
        Assert.Equal(before, model.Gradients);
    }

    [Fact]
    public void The_norm_spans_all_parameters_together()
    {
        var model = TestParameters.Default();
        Array.Clear(model.Gradients);
        model.List[0].Gradient[0] = 3;
        model.List[2].Gradient[^1] = 4;
        Assert.Equal(5f, GradientClipping.GlobalNorm(model.List));
        Assert.Equal(5f, GradientClipping.ClipGlobalNorm(model.List, 2.5f));
        Assert.Equal(1.5f, model.List[0].Gradient[0], 5);
        Assert.Equal(2f, model.List[2].Gradient[^1], 5);
    }

    [Fact]
    public void A_non_finite_norm_is_returned_and_the_gradients_are_untouched()
    {
        var model = TestParameters.Default();
        model.SetGradients(1);
        model.List[1].Gradient[2] = float.NaN;
        float[] before = (float[])model.Gradients.Clone();
        Assert.True(float.IsNaN(GradientClipping.ClipGlobalNorm(model.List, 1f)));
        Assert.Equal(before, model.Gradients);

        model.List[1].Gradient[2] = float.PositiveInfinity;
        Assert.True(float.IsPositiveInfinity(GradientClipping.ClipGlobalNorm(model.List, 1f)));
    }

    [Fact]
    public void Huge_finite_gradients_do_not_overflow_the_norm()
    {
        var model = TestParameters.Default();
        Array.Fill(model.Gradients, 1e30f);
        float norm = GradientClipping.ClipGlobalNorm(model.List, 1f);
        Assert.Equal(1e30 * Math.Sqrt(model.Gradients.Length), norm, 1e24);
        Assert.Equal(1.0, ReferenceNorm(model.Gradients), 4);
    }

    [Fact]
    public void The_maximum_norm_must_be_positive()
    {
        var model = TestParameters.Default();
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipGlobalNorm(model.List, 0f));
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipGlobalNorm(model.List, float.NaN));
    }
}
