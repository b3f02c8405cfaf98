namespace RnnGen.Tests.Topologies;

/// <summary>
/// A whole model's backward pass against central finite differences of its forward pass, in double, over
/// every parameter: the largest difference in each tensor, relative to the tensor's largest gradient.
/// </summary>
internal static class NetworkGradientCheck
{
    public static void Verify(ParameterStore<double> store, Func<double> forwardBackward, Func<double> loss, double bound = 1e-6, int seed = 5)
    {
        // Move off the initial values so that no gate sits at a symmetric point.
        var random = new Random(seed);
        var values = store.Values;
        for (int i = 0; i < values.Length; i++) values[i] += (random.NextDouble() - 0.5) * 0.4;

        forwardBackward();
        var analytic = (double[])store.Gradients.Clone();
        const double h = 1e-5;
        var numeric = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            double saved = values[i];
            values[i] = saved + h;
            double plus = loss();
            values[i] = saved - h;
            double minus = loss();
            values[i] = saved;
            numeric[i] = (plus - minus) / (2 * h);
        }

        foreach (var slot in store.Slots)
        {
            double diff = 0, scale = 0;
            int worst = slot.Offset;
            for (int i = slot.Offset; i < slot.Offset + slot.Length; i++)
            {
                double d = Math.Abs(analytic[i] - numeric[i]);
                if (d > diff) (diff, worst) = (d, i);
                scale = Math.Max(scale, Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric[i])));
            }
            Assert.True(scale > 1e-8, $"{slot.Name}: gradient is identically zero");
            double relative = diff / scale;
            Assert.True(relative <= bound,
                $"{slot.Name}: relative error {relative:E2} (element {worst - slot.Offset}: analytic {analytic[worst]:R}, numeric {numeric[worst]:R})");
        }
    }
}
