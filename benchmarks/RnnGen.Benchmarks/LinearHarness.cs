using System.Diagnostics;
using static RnnGen.Ops;

namespace RnnGen.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project benchmarks/RnnGen.Benchmarks -- linear [--repeats N]`: training tokens/s (a
/// forward and a backward pass of the recurrence, inputs, parameters and output gradients in float) of minGRU-512
/// planned as linear scans against the same cell forced onto the step loop ([RecurrentCell(LinearPath = false)]), at
/// batch 32 x 128 steps and batch 1 x 2,048 steps. The two plans' runs alternate, so a burst of load from other
/// processes hits both alike; the figures are medians, and the ratio is the linear plan's over the step loop's.
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
        Console.WriteLine($"minGRU-{size}, {Parallelism.MaxThreads} threads, {repeats} runs per figure (medians), training tokens/s (forward + backward)");
        Console.WriteLine($"{"shape",-18} {"linear scans",14} {"step loop",14} {"ratio",7}");
        foreach (var shape in Shapes)
        {
            var linear = new Case(new MinGruBench(size, size), shape);
            var loop = new Case(new MinGruBenchStepLoop(size, size), shape);
            // The buffers' growth and the JIT's tiers: the scan kernels are plain methods, promoted after some thirty calls.
            linear.TokensPerSecond(seconds: 1.0);
            loop.TokensPerSecond(seconds: 1.0);
            var a = new List<double>();
            var b = new List<double>();
            for (int r = 0; r < repeats; r++)
            {
                a.Add(linear.TokensPerSecond());
                b.Add(loop.TokensPerSecond());
            }
            double ma = Median(a), mb = Median(b);
            Console.WriteLine($"{$"{shape.Batch} x {shape.Steps}",-18} {ma,14:F0} {mb,14:F0} {ma / mb,7:F2}");
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
            _states = Values(random, shape.Batch * cell.HiddenSize);
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

/// <summary>minGRU (Feng et al., 2024): planned as linear scans.</summary>
[RecurrentCell]
public partial class MinGruBench
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

/// <summary>The same minGRU on the step loop, for comparison.</summary>
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
