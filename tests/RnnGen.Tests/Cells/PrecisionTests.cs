namespace RnnGen.Tests.Cells;

/// <summary>The float version of every cell (the fast path) agrees with its double version to float precision.</summary>
public class PrecisionTests
{
    public static TheoryData<string> Cells() => new() { "SimpleRnn", "Gru", "Lstm", "Mgu", "TwoStateCell", "NormCell", "BiasGateCell", "ReluCell", "ElementwiseRecurrenceCell", "ClippedSoftsignCell", "LogarithmicCell", "Qrnn", "TokenShiftCell", "Sru" };

    [Theory]
    [MemberData(nameof(Cells))]
    public void Float_and_double_agree(string name)
    {
        // 37 = two 16-wide float vectors and a 5-element tail; 37 = four 8-wide double vectors and a 5-element tail.
        const int hidden = 37, steps = 6, batch = 3;
        var cell = GradientCheckTests.Create(name, 7, hidden);
        int input = cell.InputSize;
        var random = new Random(42);
        var p64 = new double[cell.ParameterCount];
        cell.Initialize(p64, random);
        for (int i = 0; i < p64.Length; i++) p64[i] = (float)(p64[i] + (random.NextDouble() - 0.5) * 0.2);
        double[] Values(int n) => Enumerable.Range(0, n).Select(_ => (double)(float)(random.NextDouble() * 2 - 1)).ToArray();
        var x64 = Values(steps * batch * input);
        var s64 = Values(cell.StateCount * batch * hidden);
        var dy64 = Values(steps * batch * hidden);
        float[] F(double[] v) => v.Select(d => (float)d).ToArray();

        var (y64, g64, dx64, ds64) = Run(cell, p64, x64, s64, dy64, steps, batch);
        var (y32, g32, dx32, ds32) = Run(cell, F(p64), F(x64), F(s64), F(dy64), steps, batch);

        AssertClose("outputs", y64, y32);
        AssertClose("parameter gradients", g64, g32);
        AssertClose("input gradients", dx64, dx32);
        AssertClose("initial state gradients", ds64, ds32);
    }

    private static (T[] Outputs, T[] Gradients, T[] InputGradients, T[] StateGradients) Run<T>(IRecurrentCell cell, T[] p, T[] x, T[] s, T[] dy, int steps, int batch)
        where T : unmanaged
    {
        int h = cell.HiddenSize;
        var y = new T[steps * batch * h];
        var g = new T[p.Length];
        var dx = new T[x.Length];
        var ds = new T[s.Length];
        if (typeof(T) == typeof(float))
        {
            var tape = new CellTape<float>();
            cell.Forward((float[])(object)p, (float[])(object)x, (float[])(object)s, (float[])(object)y, default, tape, steps, batch);
            cell.Backward((float[])(object)p, (float[])(object)x, tape, (float[])(object)dy, default, (float[])(object)g, (float[])(object)dx, (float[])(object)ds);
        }
        else
        {
            var tape = new CellTape<double>();
            cell.Forward((double[])(object)p, (double[])(object)x, (double[])(object)s, (double[])(object)y, default, tape, steps, batch);
            cell.Backward((double[])(object)p, (double[])(object)x, tape, (double[])(object)dy, default, (double[])(object)g, (double[])(object)dx, (double[])(object)ds);
        }
        return (y, g, dx, ds);
    }

    private static void AssertClose(string what, double[] expected, float[] actual)
    {
        double diff = 0, scale = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            diff = Math.Max(diff, Math.Abs(expected[i] - actual[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        Assert.True(scale > 0, $"{what} are all zero");
        Assert.True(diff <= 2e-5 * scale, $"{what}: float differs from double by {diff:E2} against a scale of {scale:E2}");
    }
}
