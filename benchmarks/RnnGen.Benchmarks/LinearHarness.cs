using System.Diagnostics;
using static RnnGen.Ops;

namespace RnnGen.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project benchmarks/RnnGen.Benchmarks -- linear [--repeats N]`: training tokens/s (a
/// forward and a backward pass of the recurrence, inputs, parameters and output gradients in float) of the 512-wide
/// built-in cells of issue 12 against Gru-512 and, for the cells planned as linear scans, against the same cell forced
/// onto the step loop ([RecurrentCell(LinearPath = false)]), at batch 32 x 128 steps and batch 1 x 2,048 steps. Every
/// cell runs once per round, in turn, so a burst of load from other processes hits them alike; the figures are
/// medians of the rounds.
/// </summary>
public static class LinearHarness
{
    private sealed record Shape(int Batch, int Steps);

    private static readonly Shape[] Shapes = [new(32, 128), new(1, 2048)];

    public static void Run(string[] args)
    {
        int repeats = 7;
        for (int i = 0; i < args.Length; i++)
            if (args[i] == "--repeats" && i + 1 < args.Length) repeats = int.Parse(args[++i]);
        const int size = 512;
        Console.WriteLine($"{size}-wide cells, input {size}, {Parallelism.MaxThreads} threads, {repeats} rounds (medians), training tokens/s (forward + backward)");
        Console.WriteLine();
        Console.WriteLine("| cell | plan | shape | tok/s | x Gru-512 | x the same cell's step loop | input products' share |");
        Console.WriteLine("|---|---|---|---:|---:|---:|---:|");
        foreach (var shape in Shapes)
        {
            (string Name, IRecurrentCell Cell, int StepLoopOf)[] cells =
            [
                ("Gru", new Cells.Gru(size, size), -1),
                ("MinGru", new Cells.MinGru(size, size), -1),
                ("MinGru, LinearPath = false", new MinGruBenchStepLoop(size, size), 1),
                ("MinLstm", new Cells.MinLstm(size, size), -1),
                ("MinLstm, LinearPath = false", new MinLstmBenchStepLoop(size, size), 3),
                ("Qrnn", new Cells.Qrnn(size, size), -1),
                ("Qrnn, LinearPath = false", new QrnnBenchStepLoop(size, size), 5),
            ];
            var cases = cells.Select(c => new Case(c.Cell, shape)).ToArray();
            // The buffers' growth and the JIT's tiers: the scan kernels are plain methods, promoted after some thirty calls.
            foreach (var c in cases) c.TokensPerSecond(seconds: 1.0);
            var samples = cases.Select(_ => new List<double>()).ToArray();
            for (int r = 0; r < repeats; r++)
                for (int i = 0; i < cases.Length; i++)
                    samples[i].Add(cases[i].TokensPerSecond());
            var medians = samples.Select(Median).ToArray();
            // The three products every plan of a cell runs alike (the input's of all steps, and backward the weights'
            // and the inputs' gradients), timed alone in the same rounds: what no plan of the recurrence can remove.
            var products = cells.Select(c => new ProductsOnly(c.Cell, (shape.Batch, shape.Steps))).ToArray();
            var productSamples = products.Select(_ => new List<double>()).ToArray();
            foreach (var p in products) p.TokensPerSecond(seconds: 0.5);
            for (int r = 0; r < repeats; r++)
                for (int i = 0; i < products.Length; i++)
                    productSamples[i].Add(products[i].TokensPerSecond());
            var productMedians = productSamples.Select(Median).ToArray();
            for (int i = 0; i < cells.Length; i++)
            {
                string plan = ((RnnGen.Recurrence.IPlannedCell)cells[i].Cell).Plan.Kind.ToString();
                string versusLoop = cells.Any(c => c.StepLoopOf == i) ? $"{medians[i] / medians[Array.FindIndex(cells, c => c.StepLoopOf == i)]:F2}" : "";
                // The share of a call that its input products take: 1 / (1 - share) bounds what any plan of the rest could gain.
                double share = medians[i] / productMedians[i];
                Console.WriteLine($"| {cells[i].Name} | {plan} | {shape.Batch} x {shape.Steps} | {medians[i]:F0} | {medians[i] / medians[0]:F2} | {versusLoop} | {share:P0} |");
            }
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    /// <summary>One cell at one shape: its buffers, made once.</summary>
    private sealed class Case
    {
        private readonly IRecurrentCell _cell;
        private readonly Shape _shape;
        private readonly float[] _parameters, _gradients, _inputs, _inputGradients, _states, _stateGradients, _outputs, _outputGradients, _final;
        private readonly CellTape<float> _tape = new();

        public Case(IRecurrentCell cell, Shape shape)
        {
            _cell = cell;
            _shape = shape;
            var random = new Random(1);
            _parameters = new float[cell.ParameterCount];
            cell.Initialize(_parameters, random);
            _gradients = new float[cell.ParameterCount];
            int rows = shape.Steps * shape.Batch;
            _inputs = Values(random, rows * cell.InputSize);
            _inputGradients = new float[_inputs.Length];
            _states = Values(random, cell.StateCount * shape.Batch * cell.HiddenSize); // every state, Prev's too
            _stateGradients = new float[_states.Length];
            _outputs = new float[rows * cell.HiddenSize];
            _outputGradients = Values(random, _outputs.Length);
            _final = new float[_states.Length];
        }

        private static float[] Values(Random random, int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();

        private void Run()
        {
            _cell.Forward(_parameters, _inputs, _states, _outputs, _final, _tape, _shape.Steps, _shape.Batch);
            _cell.Backward(_parameters, _inputs, _tape, _outputGradients, default, _gradients, _inputGradients, _stateGradients);
        }

        public double TokensPerSecond(double seconds = 0.2) => LinearHarness.TokensPerSecond(Run, _shape.Steps * _shape.Batch, seconds);
    }

    /// <summary>Enough calls of <paramref name="run"/> for about <paramref name="seconds"/>, timed together, as tokens per second.</summary>
    internal static double TokensPerSecond(Action run, int tokensPerCall, double seconds)
    {
        var watch = Stopwatch.StartNew();
        int calls = 0;
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            run();
            calls++;
        }
        return (double)calls * tokensPerCall / watch.Elapsed.TotalSeconds;
    }
}

/// <summary>
/// The input's products of one call of a cell, alone: Xp [rows, blocks x H] = X [rows, input] · Wᵀ forward, and backward
/// dW = dXpᵀ · X and dX = dXp · W, the GEMMs that the step loop and the linear plan both run, at the same shapes.
/// </summary>
internal sealed class ProductsOnly
{
    private readonly int _rows, _columns, _input;
    private readonly float[] _x, _w, _xp, _dw, _dx;

    public ProductsOnly(IRecurrentCell cell, (int Batch, int Steps) shape) : this(cell, shape.Batch * shape.Steps) { }

    private ProductsOnly(IRecurrentCell cell, int rows)
    {
        var plan = ((RnnGen.Recurrence.IPlannedCell)cell).Plan;
        _rows = rows;
        _input = cell.InputSize;
        _columns = plan.HasInputProduct ? plan.Products[0].Blocks * cell.HiddenSize : 0;
        _x = new float[rows * _input];
        _w = new float[_columns * _input];
        _xp = new float[rows * _columns];
        _dw = new float[_columns * _input];
        _dx = new float[rows * _input];
        for (int i = 0; i < _x.Length; i++) _x[i] = (i % 7 - 3) * 0.1f;
        for (int i = 0; i < _w.Length; i++) _w[i] = (i % 5 - 2) * 0.01f;
    }

    public double TokensPerSecond(double seconds = 0.2) => LinearHarness.TokensPerSecond(Run, _rows, seconds);

    private void Run()
    {
        RnnGen.Kernels.Gemm.Multiply(false, true, _rows, _columns, _input, _x, _input, _w, _input, _xp, _columns, false);
        RnnGen.Kernels.Gemm.Multiply(true, false, _columns, _input, _rows, _xp, _columns, _x, _input, _dw, _input, true);
        RnnGen.Kernels.Gemm.Multiply(false, false, _rows, _input, _columns, _xp, _columns, _w, _input, _dx, _input, false);
    }
}

/// <summary>Cells.MinGru on the step loop, for comparison.</summary>
[RecurrentCell(LinearPath = false)]
public partial class MinGruBenchStepLoop
{
    Weight Wz, Wh;
    Bias bz, bh;

    Vec Step(Vec x, Vec h)
    {
        var z = Sigmoid(Wz * x + bz);
        var candidate = Wh * x + bh;
        return (1 - z) * h + z * candidate;
    }
}

/// <summary>Cells.MinLstm on the step loop, for comparison.</summary>
[RecurrentCell(LinearPath = false)]
public partial class MinLstmBenchStepLoop
{
    Weight W_if, W_ii, W_ih;
    Bias b_if, b_ii, b_ih;

    Vec Step(Vec x, Vec h)
    {
        var f = Sigmoid(W_if * x + b_if);
        var i = Sigmoid(W_ii * x + b_ii);
        var candidate = W_ih * x + b_ih;
        return f / (f + i) * h + i / (f + i) * candidate;
    }
}

/// <summary>Cells.Qrnn on the step loop, for comparison.</summary>
[RecurrentCell(LinearPath = false)]
public partial class QrnnBenchStepLoop
{
    [Packed("weight_ih")] Weight W_iz, W_if, W_io;
    [Packed("weight_ih_prev")] Weight V_iz, V_if, V_io;
    [Packed("bias_ih")] Bias b_iz, b_if, b_io;

    (Vec h, Vec c) Step(Vec x, Vec h, Vec c)
    {
        var z = Tanh(W_iz * x + V_iz * Prev(x) + b_iz);
        var f = Sigmoid(W_if * x + V_if * Prev(x) + b_if);
        var o = Sigmoid(W_io * x + V_io * Prev(x) + b_io);
        var cNext = f * c + (1 - f) * z;
        return (o * cNext, cNext);
    }
}
