namespace RnnGen.Tests.Cells;

/// <summary>
/// A sequence run as two windows, the final states of the first (with what Prev carries: the states the generator adds
/// for it) passed as the initial states of the second, is the sequence run as one window: its outputs, and, with the
/// second window's initial-state gradients passed back as the first's final-state gradients, its gradients. And the
/// two-window gradients, through the boundary, match central differences of the two-window loss.
/// </summary>
public class WindowCarryTests
{
    public static TheoryData<string, int, int> Cases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var cell in new[] { "Qrnn", "TokenShiftCell", "Sru", "ClippedSoftsignCell", "Lstm" })
            foreach (int seed in new[] { 1, 2, 3 })
                data.Add(cell, seed, seed == 2 ? 5 : 3); // windows of 3 + 6 or 5 + 4 steps: 9 in all
        return data;
    }

    private const int Steps = 9, Batch = 2, Hidden = 11;

    [Theory]
    [MemberData(nameof(Cases))]
    public void Two_windows_with_the_state_carried_are_one_window(string name, int seed, int first)
    {
        var (cell, parameters, inputs, outputWeights) = Setup(name, seed);
        var whole = new Windows(cell, [Steps]);
        var split = new Windows(cell, [first, Steps - first]);
        var (wholeOutputs, wholeParameters, wholeInputs) = whole.Run(parameters, inputs, outputWeights);
        var (splitOutputs, splitParameters, splitInputs) = split.Run(parameters, inputs, outputWeights);

        AssertEqual("outputs", wholeOutputs, splitOutputs);
        AssertEqual("parameter gradients", wholeParameters, splitParameters);
        AssertEqual("input gradients", wholeInputs, splitInputs);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_gradients_across_the_window_boundary_match_central_differences(string name, int seed, int first)
    {
        var (cell, parameters, inputs, outputWeights) = Setup(name, seed);
        var split = new Windows(cell, [first, Steps - first]);
        var (_, dParameters, dInputs) = split.Run(parameters, inputs, outputWeights);

        double Loss(double[] p, double[] x) => split.Loss(p, x, outputWeights);
        foreach (var tensor in cell.Parameters)
            AssertClose($"{name} {tensor.Name}", dParameters, parameters, v => Loss(v, inputs), tensor.Offset, tensor.Length);
        // The inputs of the first window's last step and the second's first reach the loss through the carried states.
        AssertClose($"{name} inputs", dInputs, inputs, v => Loss(parameters, v), 0, inputs.Length);
        int boundary = first * Batch * cell.InputSize;
        AssertClose($"{name} the last inputs before the boundary", dInputs, inputs, v => Loss(parameters, v), boundary - Batch * cell.InputSize, Batch * cell.InputSize);
    }

    private static (IRecurrentCell Cell, double[] Parameters, double[] Inputs, double[] OutputWeights) Setup(string name, int seed)
    {
        var cell = GradientCheckTests.Create(name, 3, Hidden);
        var random = new Random(seed);
        var parameters = new double[cell.ParameterCount];
        cell.Initialize(parameters, random);
        for (int i = 0; i < parameters.Length; i++) parameters[i] += (random.NextDouble() - 0.5) * 0.4;
        double[] Values(int n) => Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        return (cell, parameters, Values(Steps * Batch * cell.InputSize), Values(Steps * Batch * Hidden));
    }

    /// <summary>The sequence in consecutive windows from zero states, each window's final states the next one's
    /// initial states; the loss L = Σ outputs · R over all of them.</summary>
    private sealed class Windows(IRecurrentCell cell, int[] lengths)
    {
        private readonly CellTape<double>[] _tapes = lengths.Select(_ => new CellTape<double>()).ToArray();
        private int S => cell.StateCount * Batch * Hidden;

        private double[] Forward(double[] parameters, double[] inputs)
        {
            int I = cell.InputSize, H = Hidden;
            var outputs = new double[Steps * Batch * H];
            var states = new double[S];
            for (int w = 0, at = 0; w < lengths.Length; at += lengths[w], w++)
            {
                var final = new double[S];
                cell.Forward(parameters, inputs.AsSpan(at * Batch * I, lengths[w] * Batch * I), states,
                    outputs.AsSpan(at * Batch * H, lengths[w] * Batch * H), final, _tapes[w], lengths[w], Batch);
                states = final;
            }
            return outputs;
        }

        public double Loss(double[] parameters, double[] inputs, double[] outputWeights)
        {
            var outputs = Forward(parameters, inputs);
            return outputs.Select((y, i) => y * outputWeights[i]).Sum();
        }

        /// <summary>The outputs, and the gradients of the loss: the windows backward in reverse, each one's initial-state
        /// gradients the final-state gradients of the one before.</summary>
        public (double[] Outputs, double[] Parameters, double[] Inputs) Run(double[] parameters, double[] inputs, double[] outputWeights)
        {
            int I = cell.InputSize, H = Hidden;
            var outputs = Forward(parameters, inputs);
            var dParameters = new double[parameters.Length];
            var dInputs = new double[inputs.Length];
            var dFinal = new double[S];
            int at = Steps;
            for (int w = lengths.Length - 1; w >= 0; w--)
            {
                at -= lengths[w];
                var dInitial = new double[S];
                // Backward needs the tape of the window's own forward: each window has its own.
                cell.Backward(parameters, inputs.AsSpan(at * Batch * I, lengths[w] * Batch * I), _tapes[w],
                    outputWeights.AsSpan(at * Batch * H, lengths[w] * Batch * H), dFinal, dParameters,
                    dInputs.AsSpan(at * Batch * I, lengths[w] * Batch * I), dInitial);
                dFinal = dInitial;
            }
            return (outputs, dParameters, dInputs);
        }
    }

    private static void AssertEqual(string what, double[] expected, double[] actual)
    {
        double worst = 0, scale = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(expected[i] - actual[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        Assert.True(scale > 1e-8, $"{what}: identically zero");
        Assert.True(worst <= 1e-12 * scale, $"{what}: two windows differ from one by {worst:E2} (scale {scale:E2})");
    }

    private static void AssertClose(string what, double[] analytic, double[] point, Func<double[], double> loss, int offset, int length)
    {
        const double h = 1e-5;
        double diff = 0, scale = 0;
        for (int i = offset; i < offset + length; i++)
        {
            double saved = point[i];
            point[i] = saved + h;
            double plus = loss(point);
            point[i] = saved - h;
            double minus = loss(point);
            point[i] = saved;
            double numeric = (plus - minus) / (2 * h);
            diff = Math.Max(diff, Math.Abs(analytic[i] - numeric));
            scale = Math.Max(scale, Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric)));
        }
        Assert.True(scale > 1e-8, $"{what}: gradient is identically zero");
        Assert.True(diff / scale <= 1e-6, $"{what}: relative error {diff / scale:E2}");
    }
}
