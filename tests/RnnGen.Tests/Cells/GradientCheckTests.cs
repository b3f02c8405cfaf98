namespace RnnGen.Tests.Cells;

/// <summary>
/// The generated backward pass against central finite differences of the generated forward pass, in
/// double precision: every parameter, every input element and every initial state element.
/// </summary>
public class GradientCheckTests
{
    /// <summary>Every built-in cell and every test cell, by the name <see cref="Create"/> knows it by.</summary>
    internal static readonly string[] AllCells = ["SimpleRnn", "Gru", "Lstm", "Mgu", "TwoStateCell", "NormCell", "BiasGateCell", "ReluCell", "ElementwiseRecurrenceCell",
        "ClippedSoftsignCell", "LogarithmicCell", "Qrnn", "TokenShiftCell", "Sru", "MinGru", "IndRnn", "MinLstm", "Cells.Qrnn", "Cells.Sru", "SLstm",
        "MinGruTest", "MinGruStepLoop", "ForgetOnlyTest", "TwoScanTest", "QrnnLikeTest"];

    /// <summary>The cells planned as linear scans (RecurrenceKind.LinearScan).</summary>
    internal static readonly string[] LinearCells = ["MinGruTest", "ForgetOnlyTest", "TwoScanTest", "QrnnLikeTest", "MinGru", "MinLstm", "Qrnn", "Cells.Qrnn"];

    /// <summary>The cells of issue 12 (its operations and its built-in cells), checked over more steps and seeds as well.</summary>
    internal static readonly string[] OperationCells = ["ClippedSoftsignCell", "LogarithmicCell", "Qrnn", "TokenShiftCell", "Sru", "MinGru", "IndRnn", "MinLstm", "Cells.Qrnn", "Cells.Sru", "SLstm"];

    /// <summary>The cells that read their input elementwise, which need input size = hidden size.</summary>
    internal static readonly string[] SquareCells = ["TokenShiftCell", "Sru", "Cells.Sru"];

    /// <summary>Five steps (the recurrent weights are packed once per window) for three seeds, and two steps (products on the
    /// weights as stored); the cells of the newer operations also nine steps for three more seeds.</summary>
    public static TheoryData<string, int, int> Cases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var cell in AllCells)
        {
            foreach (int seed in new[] { 1, 2, 3 })
                data.Add(cell, seed, 5);
            data.Add(cell, 4, 2);
        }
        foreach (var cell in OperationCells)
            foreach (int seed in new[] { 5, 6, 7 })
                data.Add(cell, seed, 9);
        return data;
    }

    /// <summary>The cell of this name; one that reads its input elementwise is made with input size = hidden size
    /// whatever <paramref name="input"/> says, so callers size their inputs by <see cref="IRecurrentCell.InputSize"/>.</summary>
    public static IRecurrentCell Create(string name, int input, int hidden) => name switch
    {
        "Qrnn" => new Qrnn(input, hidden),
        "TokenShiftCell" => new TokenShiftCell(hidden, hidden),
        "Sru" => new Sru(hidden, hidden),
        "SimpleRnn" => new RnnGen.Cells.SimpleRnn(input, hidden),
        "Gru" => new RnnGen.Cells.Gru(input, hidden),
        "Lstm" => new RnnGen.Cells.Lstm(input, hidden),
        "Mgu" => new Mgu(input, hidden),
        "TwoStateCell" => new TwoStateCell(input, hidden),
        "NormCell" => new NormCell(input, hidden),
        "BiasGateCell" => new BiasGateCell(input, hidden),
        "ReluCell" => new ReluCell(input, hidden),
        "ElementwiseRecurrenceCell" => new ElementwiseRecurrenceCell(input, hidden),
        "ClippedSoftsignCell" => new ClippedSoftsignCell(input, hidden),
        "LogarithmicCell" => new LogarithmicCell(input, hidden),
        "MinGru" => new RnnGen.Cells.MinGru(input, hidden),
        "IndRnn" => new RnnGen.Cells.IndRnn(input, hidden),
        "MinLstm" => new RnnGen.Cells.MinLstm(input, hidden),
        "Cells.Qrnn" => new RnnGen.Cells.Qrnn(input, hidden),
        "Cells.Sru" => new RnnGen.Cells.Sru(hidden, hidden),
        "SLstm" => new RnnGen.Cells.SLstm(input, hidden),
        "MinGruTest" => new MinGruTest(input, hidden),
        "MinGruStepLoop" => new MinGruStepLoop(input, hidden),
        "ForgetOnlyTest" => new ForgetOnlyTest(input, hidden),
        "TwoScanTest" => new TwoScanTest(input, hidden),
        "QrnnLikeTest" => new QrnnLikeTest(input, hidden),
        _ => throw new ArgumentException(name),
    };

    /// <summary>The linear cells over longer windows too: 9 and 17 steps, four seeds.</summary>
    public static TheoryData<string, int, int> LinearCases()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var cell in LinearCells)
            foreach (int seed in new[] { 5, 6, 7, 8 })
                data.Add(cell, seed, seed % 2 == 0 ? 9 : 17);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Analytic_gradients_match_central_differences(string name, int seed, int steps) => Check(name, seed, steps);

    [Theory]
    [MemberData(nameof(LinearCases))]
    public void Linear_cells_match_central_differences_over_longer_windows(string name, int seed, int steps) => Check(name, seed, steps);

    /// <summary>
    /// A batch of one over 6,144 steps: narrow and long, so the scans run in chunks of time (LinearScanPlan) whose
    /// carries chain across the chunk boundaries, forward and backward. Every parameter and initial state element is
    /// checked, and the inputs of the steps on either side of the first boundaries and of the last step.
    /// </summary>
    [Theory]
    [InlineData("MinGruTest", 1)]
    [InlineData("ForgetOnlyTest", 2)]
    [InlineData("TwoScanTest", 3)]
    [InlineData("QrnnLikeTest", 4)]
    [InlineData("Cells.Qrnn", 5)] // shifts: W * Prev(x) carried across the chunks and in from the initial states
    [InlineData("Qrnn", 6)]
    public void Linear_cells_match_central_differences_across_scan_chunks(string name, int seed)
    {
        const int input = 3, hidden = 11, batch = 1, steps = 6144;
        int chunks = LinearScanPlan.Chunks(steps, batch * hidden);
        Assert.True(chunks > 2, "the scan of this shape runs in chunks of time");
        var cell = Create(name, input, hidden);
        Assert.True(((RnnGen.Recurrence.IPlannedCell)cell).Plan.IsLinear, $"{name} is planned as linear scans");
        var random = new Random(seed);
        var parameters = new double[cell.ParameterCount];
        cell.Initialize(parameters, random);
        var inputs = Random(random, steps * batch * input);
        var states = Random(random, cell.StateCount * batch * hidden);
        var outputWeights = Random(random, steps * batch * hidden);
        var finalWeights = Random(random, cell.StateCount * batch * hidden);
        var problem = new Problem(cell, steps, batch, outputWeights, finalWeights);
        var dParameters = new double[parameters.Length];
        var dInputs = new double[inputs.Length];
        var dStates = new double[states.Length];
        problem.Gradients(parameters, inputs, states, dParameters, dInputs, dStates);

        AssertMatches(name, "parameters", dParameters, parameters, v => problem.Loss(v, inputs, states), cell);
        AssertMatches(name, "initial states", dStates, states, v => problem.Loss(parameters, inputs, v), null);
        int boundary1 = LinearScanPlan.ChunkStart(1, chunks, steps), boundary2 = LinearScanPlan.ChunkStart(2, chunks, steps);
        foreach (int t in new[] { boundary1 - 1, boundary1, boundary2 - 1, boundary2, steps - 1 })
        {
            var at = new double[batch * input];
            var analytic = dInputs.AsSpan(t * batch * input, at.Length).ToArray();
            AssertMatches(name, $"inputs of step {t}", analytic, at, v =>
            {
                var shifted = (double[])inputs.Clone();
                for (int i = 0; i < v.Length; i++) shifted[t * batch * input + i] += v[i];
                return problem.Loss(parameters, shifted, states);
            }, null);
        }
    }

    private static void Check(string name, int seed, int steps)
    {
        // hidden 11 = one 8-wide double vector plus a 3-element scalar tail: both code paths are checked.
        const int hidden = 11, batch = 2;
        var cell = Create(name, 3, hidden);
        int input = cell.InputSize;
        var random = new Random(seed);
        var parameters = new double[cell.ParameterCount];
        cell.Initialize(parameters, random);
        for (int i = 0; i < parameters.Length; i++) parameters[i] += (random.NextDouble() - 0.5) * 0.4; // move gains and biases off their start
        var inputs = Random(random, steps * batch * input);
        var states = Random(random, cell.StateCount * batch * hidden);
        var outputWeights = Random(random, steps * batch * hidden);
        var finalWeights = Random(random, cell.StateCount * batch * hidden);

        var problem = new Problem(cell, steps, batch, outputWeights, finalWeights);
        var dParameters = new double[parameters.Length];
        var dInputs = new double[inputs.Length];
        var dStates = new double[states.Length];
        problem.Gradients(parameters, inputs, states, dParameters, dInputs, dStates);

        AssertMatches(name, "parameters", dParameters, parameters, v => problem.Loss(v, inputs, states), cell);
        AssertMatches(name, "inputs", dInputs, inputs, v => problem.Loss(parameters, v, states), null);
        AssertMatches(name, "initial states", dStates, states, v => problem.Loss(parameters, inputs, v), null);
    }

    private static void AssertMatches(string cellName, string what, double[] analytic, double[] point, Func<double[], double> loss, IRecurrentCell? cell)
    {
        const double h = 1e-5;
        var numeric = new double[point.Length];
        for (int i = 0; i < point.Length; i++)
        {
            double saved = point[i];
            point[i] = saved + h;
            double plus = loss(point);
            point[i] = saved - h;
            double minus = loss(point);
            point[i] = saved;
            numeric[i] = (plus - minus) / (2 * h);
        }
        if (cell is null)
        {
            AssertClose(cellName, what, analytic, numeric, 0, analytic.Length);
            return;
        }
        // Per tensor, so that a small tensor's error is not hidden by a large one's scale.
        foreach (var p in cell.Parameters)
            AssertClose(cellName, p.Name, analytic, numeric, p.Offset, p.Length);
    }

    private static void AssertClose(string cellName, string what, double[] analytic, double[] numeric, int offset, int length)
    {
        double diff = 0, scale = 0;
        int worst = -1;
        for (int i = offset; i < offset + length; i++)
        {
            double d = Math.Abs(analytic[i] - numeric[i]);
            if (d > diff) (diff, worst) = (d, i);
            scale = Math.Max(scale, Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric[i])));
        }
        Assert.True(scale > 1e-8, $"{cellName} {what}: gradient is identically zero, which the check cannot distinguish from a bug");
        double relative = diff / scale;
        Assert.True(relative <= 1e-6,
            $"{cellName} {what}: relative error {relative:E2} (element {worst}: analytic {analytic[worst]:R}, numeric {numeric[worst]:R})");
    }

    private static double[] Random(Random random, int length)
    {
        var values = new double[length];
        for (int i = 0; i < length; i++) values[i] = random.NextDouble() * 2 - 1;
        return values;
    }

    /// <summary>L = Σ outputs · R + Σ finalStates · S, for fixed random R and S.</summary>
    private sealed class Problem(IRecurrentCell cell, int steps, int batch, double[] outputWeights, double[] finalWeights)
    {
        private readonly CellTape<double> _tape = new();
        private readonly double[] _outputs = new double[steps * batch * cell.HiddenSize];
        private readonly double[] _final = new double[cell.StateCount * batch * cell.HiddenSize];

        public double Loss(double[] parameters, double[] inputs, double[] states)
        {
            cell.Forward(parameters, inputs, states, _outputs, _final, _tape, steps, batch);
            double loss = 0;
            for (int i = 0; i < _outputs.Length; i++) loss += _outputs[i] * outputWeights[i];
            for (int i = 0; i < _final.Length; i++) loss += _final[i] * finalWeights[i];
            return loss;
        }

        public void Gradients(double[] parameters, double[] inputs, double[] states, double[] dParameters, double[] dInputs, double[] dStates)
        {
            Loss(parameters, inputs, states);
            cell.Backward(parameters, inputs, _tape, outputWeights, finalWeights, dParameters, dInputs, dStates);
        }
    }
}
