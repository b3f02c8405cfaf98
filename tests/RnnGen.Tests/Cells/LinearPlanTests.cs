using RnnGen.Recurrence;

namespace RnnGen.Tests.Cells;

/// <summary>
/// Which cells the generator plans as linear scans (docs/ARCHITECTURE.md, "The linear-recurrence path"), and that
/// the scans compute what the step loop computes.
/// </summary>
public class LinearPlanTests
{
    private static RecurrencePlan PlanOf(IRecurrentCell cell) => ((IPlannedCell)cell).Plan;

    [Theory]
    [InlineData("MinGruTest")]
    [InlineData("ForgetOnlyTest")]
    [InlineData("TwoScanTest")]
    [InlineData("QrnnLikeTest")]
    [InlineData("Qrnn")]
    [InlineData("Cells.Qrnn")]
    public void Cells_linear_in_their_states_are_planned_without_a_step_loop(string name)
    {
        var plan = PlanOf(GradientCheckTests.Create(name, 3, 8));
        Assert.Equal(RecurrenceKind.LinearScan, plan.Kind);
        Assert.Contains("a ⊙ state + b", plan.Reason);
    }

    [Fact]
    public void A_state_that_reads_only_a_scans_new_value_is_an_output_state()
    {
        var plan = PlanOf(new QrnnLikeTest(3, 8));
        Assert.True(plan.IsOutputState(0), "h = o ⊙ Tanh(c') is computed after the scan");
        Assert.False(plan.IsOutputState(1), "c is the scan");
        Assert.Contains("h reads only their new values", plan.Reason);
        Assert.False(PlanOf(new MinGruTest(3, 8)).HasOutputStates);
    }

    [Theory]
    [InlineData("ElementwiseRecurrenceCell", "state h is read inside Relu")] // Relu(W * x + u * h + b)
    [InlineData("BiasGateCell", "state h is read inside Tanh")]              // Tanh(W * x + decay * h + U * h + b)
    [InlineData("Gru", "multiplied by one that reads state h")]              // (1 - z) * n + z * h, z and n read h
    [InlineData("Mgu", "multiplied by one that reads state h")]
    [InlineData("NormCell", "state h is read inside LayerNorm")]
    [InlineData("MinGruStepLoop", "LinearPath = false")]                     // linear, but forced onto the step loop
    public void Cells_that_read_a_state_other_than_linearly_keep_the_step_loop(string name, string why)
    {
        var plan = PlanOf(GradientCheckTests.Create(name, 3, 8));
        Assert.Equal(RecurrenceKind.StepLoop, plan.Kind);
        Assert.Contains(why, plan.Reason);
    }

    [Fact]
    public void The_built_in_minGRU_is_a_scan_and_IndRNN_a_step_loop()
    {
        Assert.Equal(RecurrenceKind.LinearScan, PlanOf(new RnnGen.Cells.MinGru(3, 8)).Kind);
        var indRnn = PlanOf(new RnnGen.Cells.IndRnn(3, 8));
        Assert.Equal(RecurrenceKind.StepLoop, indRnn.Kind);
        Assert.Contains("state h is read inside Relu", indRnn.Reason); // Relu(W_ih * x + u * h + b_ih)
    }

    /// <summary>QRNN's gates read x_{t-1} through W * Prev(x), carried as states whose next value is W * x: shifts, known
    /// before the scan, so c is still a scan and h = o ⊙ c' an output state.</summary>
    [Fact]
    public void The_built_in_QRNN_is_a_scan_whose_gates_read_the_shifted_products()
    {
        var plan = PlanOf(new RnnGen.Cells.Qrnn(3, 8));
        Assert.Equal(RecurrenceKind.LinearScan, plan.Kind);
        Assert.True(plan.IsOutputState(0), "h = o ⊙ c' is computed after the scan");
        Assert.False(plan.IsOutputState(1) || plan.IsShiftState(1), "c is the scan");
        // States 2, 3, 4 carry V_iz * x, V_if * x, V_io * x: blocks 3, 4, 5 of [W_iz; W_if; W_io; V_iz; V_if; V_io] * x.
        Assert.Equal([new RecurrenceShift(2, 3), new RecurrenceShift(3, 4), new RecurrenceShift(4, 5)], plan.Shifts.ToArray());
        Assert.Contains("known before the scans", plan.Reason);
    }

    [Fact]
    public void The_built_in_cells_keep_the_step_loop()
    {
        Assert.Equal(RecurrenceKind.StepLoop, PlanOf(new RnnGen.Cells.Gru(3, 8)).Kind);
        Assert.Equal(RecurrenceKind.StepLoop, PlanOf(new RnnGen.Cells.Lstm(3, 8)).Kind);
        Assert.Equal(RecurrenceKind.StepLoop, PlanOf(new RnnGen.Cells.SimpleRnn(3, 8)).Kind);
    }

    /// <summary>
    /// MinGRU and the QRNN-like cell (a scan and an output state) as scans against the same cells on the step loop, with
    /// initial states in and their gradients out (a window of truncated BPTT): the same values up to rounding, since the
    /// scans only associate the same products differently. Shapes: a vector tail (hidden 11), a batch split into several
    /// blocks, and a narrow long window whose scans chunk time.
    /// </summary>
    [Theory]
    [InlineData("MinGru", 11, 2, 9)]
    [InlineData("MinGru", 40, 19, 33)]
    [InlineData("MinGru", 11, 1, 6144)]
    [InlineData("Qrnn", 11, 2, 9)]
    [InlineData("Qrnn", 40, 19, 33)]
    [InlineData("Qrnn", 11, 1, 6144)]
    [InlineData("QrnnWindow", 11, 2, 9)]
    [InlineData("QrnnWindow", 40, 19, 33)]
    [InlineData("QrnnWindow", 11, 1, 6144)]
    public void The_scans_compute_what_the_step_loop_computes(string name, int hidden, int batch, int steps)
    {
        const int input = 5;
        IRecurrentCell linear = name switch
        {
            "MinGru" => new MinGruTest(input, hidden),
            "Qrnn" => new QrnnLikeTest(input, hidden),
            _ => new RnnGen.Cells.Qrnn(input, hidden),
        };
        IRecurrentCell loop = name switch
        {
            "MinGru" => new MinGruStepLoop(input, hidden),
            "Qrnn" => new QrnnStepLoop(input, hidden),
            _ => new QrnnWindowStepLoop(input, hidden),
        };
        Assert.True(PlanOf(linear).IsLinear);
        Assert.False(PlanOf(loop).IsLinear);
        var random = new Random(hidden + batch + steps);
        var parameters = new double[linear.ParameterCount];
        linear.Initialize(parameters, random);
        double[] Values(int n) => Enumerable.Range(0, n).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var x = Values(steps * batch * input);
        var s = Values(linear.StateCount * batch * hidden);
        var dy = Values(steps * batch * hidden);
        var dFinal = Values(linear.StateCount * batch * hidden);

        double[][] Run(IRecurrentCell cell)
        {
            var y = new double[dy.Length];
            var final = new double[s.Length];
            var g = new double[parameters.Length];
            var dx = new double[x.Length];
            var ds = new double[s.Length];
            var tape = new CellTape<double>();
            cell.Forward(parameters, x, s, y, final, tape, steps, batch);
            cell.Backward(parameters, x, tape, dy, dFinal, g, dx, ds);
            return [y, final, g, dx, ds];
        }

        var expected = Run(loop);
        var actual = Run(linear);
        string[] what = ["outputs", "final states", "parameter gradients", "input gradients", "initial state gradients"];
        for (int k = 0; k < what.Length; k++)
        {
            double scale = expected[k].Max(Math.Abs), worst = 0;
            for (int i = 0; i < expected[k].Length; i++) worst = Math.Max(worst, Math.Abs(expected[k][i] - actual[k][i]));
            Assert.True(scale > 1e-6, $"{what[k]} are not all zero");
            Assert.True(worst <= 1e-11 * scale, $"{what[k]}: the scans differ from the step loop by {worst:E2} (scale {scale:E2})");
        }
    }
}
