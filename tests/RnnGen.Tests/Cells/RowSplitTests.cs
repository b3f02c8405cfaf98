using RnnGen.Kernels;

namespace RnnGen.Tests.Cells;

/// <summary>
/// A batch split over both cores gives what one core gives. Runs alone, since it changes how many
/// threads products may use.
/// </summary>
[Collection(nameof(RowSplitTests))]
public class RowSplitTests
{
    private static void Close(string what, double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * (1 + Math.Abs(expected[i])), $"{what}[{i}]: {expected[i]:R} vs {actual[i]:R}");
    }

    [CollectionDefinition(nameof(RowSplitTests), DisableParallelization = true)]
    public class Sequential;

    [Theory]
    [InlineData("Gru", 21, 7, 6)]
    [InlineData("Lstm", 21, 7, 6)]
    [InlineData("Mgu", 21, 7, 6)]
    [InlineData("NormCell", 21, 7, 6)]
    public void Splitting_the_batch_over_both_cores_changes_no_result(string name, int hidden, int steps, int batch)
    {
        Assert.Equal(2, RowSplit.Parts(batch, 1e3));
        Compare(name, hidden, steps, batch);
    }

    /// <summary>Products big enough to split themselves: then each step's fused passes share their rows between the cores.</summary>
    [Theory]
    [InlineData("Gru", 600, 5, 4)]
    [InlineData("Lstm", 520, 4, 4)]
    [InlineData("NormCell", 700, 5, 3)]
    [InlineData("Mgu", 900, 3, 3)]
    public void Sharing_each_steps_passes_between_both_cores_changes_no_result(string name, int hidden, int steps, int batch)
    {
        Assert.True(RowSplit.PassesInParallel(batch, hidden));
        Compare(name, hidden, steps, batch);
    }

    private static void Compare(string name, int hidden, int steps, int batch)
    {
        const int input = 5;
        var cell = GradientCheckTests.Create(name, input, hidden);
        var random = new Random(3);
        var p = new double[cell.ParameterCount];
        cell.Initialize(p, random);
        double[] Values(int n) => Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var x = Values(steps * batch * input);
        var s = Values(cell.StateCount * batch * hidden);
        var dy = Values(steps * batch * hidden);
        var dFinal = Values(cell.StateCount * batch * hidden);

        (double[], double[], double[], double[], double[]) Run()
        {
            var tape = new CellTape<double>();
            var y = new double[steps * batch * hidden];
            var final = new double[s.Length];
            var g = new double[p.Length];
            var dx = new double[x.Length];
            var ds = new double[s.Length];
            cell.Forward(p, x, s, y, final, tape, steps, batch);
            cell.Backward(p, x, tape, dy, dFinal, g, dx, ds);
            return (y, final, g, dx, ds);
        }

        var split = Run();
        int threads = Parallelism.MaxThreads;
        Parallelism.MaxThreads = 1;
        try
        {
            Assert.Equal(1, RowSplit.Parts(batch, 1e3));
            Assert.False(RowSplit.PassesInParallel(batch, hidden));
            var single = Run();
            // A half-batch product may take a different kernel path (few rows), so sums can round differently.
            Close("outputs", single.Item1, split.Item1);
            Close("final states", single.Item2, split.Item2);
            Close("parameter gradients", single.Item3, split.Item3);
            Close("input gradients", single.Item4, split.Item4);
            Close("initial state gradients", single.Item5, split.Item5);
        }
        finally
        {
            Parallelism.MaxThreads = threads;
        }
    }
}
