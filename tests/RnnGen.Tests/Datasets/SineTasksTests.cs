using RnnGen.Datasets.Synthetic;
using Xunit.Abstractions;

namespace RnnGen.Tests.Datasets;

/// <summary>The noisy sum of sines: shapes, determinism, targets one step ahead, and the memoryless baselines.</summary>
public sealed class SineTasksTests(ITestOutputHelper output)
{
    [Fact]
    public void The_same_seed_gives_the_same_series()
    {
        var a = SineTasks.NoisySum(20, 30, seed: 5);
        var b = SineTasks.NoisySum(20, 30, seed: 5);
        Assert.Equal(a.Inputs, b.Inputs);
        Assert.Equal(a.Targets, b.Targets);
        Assert.NotEqual(a.Inputs, SineTasks.NoisySum(20, 30, seed: 6).Inputs);
        Assert.All(a.Inputs.Concat(a.Targets), series => Assert.Equal(30, series.Length));
    }

    [Fact]
    public void Without_noise_the_target_is_the_next_input()
    {
        var (inputs, targets) = SineTasks.NoisySum(10, 25, seed: 1, noise: 0);

        for (int i = 0; i < inputs.Count; i++)
        {
            for (int t = 0; t + 1 < 25; t++)
            {
                Assert.Equal(inputs[i][t + 1], targets[i][t], 1e-6f);
            }
            Assert.All(inputs[i], v => Assert.InRange(v, -1.4f, 1.4f)); // two amplitudes of at most 0.7
        }
    }

    [Fact]
    public void The_noise_has_the_requested_size()
    {
        var (noisy, _) = SineTasks.NoisySum(200, 50, seed: 2, noise: 0.1f);
        var (clean, _) = SineTasks.NoisySum(200, 50, seed: 2, noise: 0); // same signals: noise is drawn after them
        double rmse = SineTasks.Rmse(noisy, clean);
        Assert.InRange(rmse, 0.09, 0.11);
    }

    [Fact]
    public void A_model_without_memory_stays_far_from_the_target()
    {
        var (inputs, targets) = SineTasks.NoisySum(1000, 50, seed: 1);

        double naive = SineTasks.NaiveBaseline(inputs, targets);
        var (linear, slope, intercept) = SineTasks.LinearBaseline(inputs, targets);
        output.WriteLine($"naive {naive:F4}, linear AR(1) {linear:F4} (slope {slope:F3}, intercept {intercept:F4})");
        Assert.InRange(naive, 0.2, 0.26);
        Assert.InRange(linear, 0.19, naive);
        Assert.InRange(slope, 0.8, 0.95);
        Assert.InRange(intercept, -0.02, 0.02);
    }

    [Fact]
    public void Rmse_and_the_linear_fit_are_exact_on_hand_made_series()
    {
        float[][] inputs = [[0, 1, 2, 3]];
        float[][] targets = [[1, 3, 5, 7]]; // 2x + 1
        Assert.Equal(Math.Sqrt((1 + 4 + 9 + 16) / 4.0), SineTasks.NaiveBaseline(inputs, targets), 1e-9);
        var (rmse, slope, intercept) = SineTasks.LinearBaseline(inputs, targets);
        Assert.Equal(0, rmse, 1e-9);
        Assert.Equal(2, slope, 1e-9);
        Assert.Equal(1, intercept, 1e-9);
        Assert.Throws<ArgumentException>(() => SineTasks.Rmse(inputs, [[1, 2]]));
    }
}
