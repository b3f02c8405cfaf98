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
        Console.WriteLine("| cell | plan | shape | tok/s | x Gru-512 | x the same cell's step loop |");
        Console.WriteLine("|---|---|---|---:|---:|---:|");
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
            ];
            var cases = cells.Select(c => new Case(c.Cell, shape)).ToArray();
            // The buffers' growth and the JIT's tiers: the scan kernels are plain methods, promoted after some thirty calls.
            foreach (var c in cases) c.TokensPerSecond(seconds: 1.0);
            var samples = cases.Select(_ => new List<double>()).ToArray();
            for (int r = 0; r < repeats; r++)
                for (int i = 0; i < cases.Length; i++)
                    samples[i].Add(cases[i].TokensPerSecond());
            var medians = samples.Select(Median).ToArray();
            for (int i = 0; i < cells.Length; i++)
            {
                string plan = ((RnnGen.Recurrence.IPlannedCell)cells[i].Cell).Plan.Kind.ToString();
                string versusLoop = cells.Any(c => c.StepLoopOf == i) ? $"{medians[i] / medians[Array.FindIndex(cells, c => c.StepLoopOf == i)]:F2}" : "";
                Console.WriteLine($"| {cells[i].Name} | {plan} | {shape.Batch} x {shape.Steps} | {medians[i]:F0} | {medians[i] / medians[0]:F2} | {versusLoop} |");
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

        /// <summary>Enough calls for about <paramref name="seconds"/>, timed together.</summary>
        public double TokensPerSecond(double seconds = 0.2)
        {
            var watch = Stopwatch.StartNew();
            int calls = 0;
            while (watch.Elapsed.TotalSeconds < seconds)
            {
                Run();
                calls++;
            }
            return (double)calls * _shape.Steps * _shape.Batch / watch.Elapsed.TotalSeconds;
        }
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
