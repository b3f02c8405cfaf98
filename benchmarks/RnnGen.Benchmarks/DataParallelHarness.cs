using System.Diagnostics;
using System.Globalization;
using RnnGen.Distributed;

namespace RnnGen.Benchmarks;

/// <summary>
/// Data-parallel training throughput. Under <c>mpirun -np N ... dataparallel --distributed</c>: training tokens/s of N
/// ranks over the global batch of each reference configuration, and the time of one all-reduce of its gradients
/// (buckets as the trainer sends them). Alone: the same tokens/s in one process, and with <c>--compute</c> the time of
/// one training step at each per-rank batch that 2, 4 and 8 machines would train (for the scaling estimate).
/// </summary>
/// <remarks>Threads per process: <c>--threads T</c> (<see cref="Parallelism.MaxThreads"/>, as RNNGEN_THREADS). Figures are medians of <c>--repeats</c> runs.</remarks>
public static class DataParallelHarness
{
    public static void Run(string[] args)
    {
        int threads = Value(args, "--threads", Environment.ProcessorCount);
        int repeats = Value(args, "--repeats", 3);
        int windows = Value(args, "--windows", 8);
        bool distributed = args.Contains("--distributed");
        var only = args.Where(a => !a.StartsWith("--", StringComparison.Ordinal) && !int.TryParse(a, out _)).ToHashSet();
        var configs = TrainingHarness.References.Where(c => only.Count == 0 || only.Contains(c.Name)).ToArray();
        Parallelism.MaxThreads = threads;
        using var world = distributed ? MpiCommunicator.World : null;
        bool lead = world is null || world.Rank == 0;
        void Say(string line)
        {
            if (lead) Console.WriteLine(line);
        }

        Say(Invariant($"{world?.Size ?? 1} rank(s) x {threads} thread(s), {windows} windows a run, median of {repeats}"));
        Say("| config | parameters | global batch | train tok/s | ms per step | all-reduce ms | all-reduce MB |");
        Say("|---|---|---|---|---|---|---|");
        foreach (var c in configs)
        {
            var model = TrainingHarness.Build(c);
            var tokens = Tokens(c, c.Batch, windows);
            TrainSeconds(model, c, c.Batch, tokens, world, windows: 2); // warm-up: JIT, buffers
            double seconds = Median(Enumerable.Range(0, repeats).Select(_ => TrainSeconds(model, c, c.Batch, tokens, world, windows)));
            double tokensPerSecond = (double)c.Batch * c.Steps * windows / seconds;
            string reduce = "-", megabytes = Invariant($"{model.ParameterCount * 4 / 1e6:F2}");
            if (world is not null) reduce = Invariant($"{AllReduceMilliseconds(world, model.ParameterCount, repeats * 5):F2}");
            Say(Invariant($"| {c.Name} | {model.ParameterCount:N0} | {c.Batch} | {tokensPerSecond:F0} | {1000 * seconds / windows:F1} | {reduce} | {megabytes} |"));
        }

        if (args.Contains("--compute") && world is null)
        {
            Say("");
            Say("Compute per step (forward, backward, clipping, Adam) at the per-rank batch of 1, 2, 4 and 8 machines:");
            Say("| config | batch 32/1 ms | 32/2 ms | 32/4 ms | 32/8 ms |");
            Say("|---|---|---|---|---|");
            foreach (var c in configs)
            {
                var model = TrainingHarness.Build(c);
                var cells = new List<string>();
                foreach (int machines in (int[])[1, 2, 4, 8])
                {
                    int batch = Math.Max(1, c.Batch / machines);
                    var tokens = Tokens(c, batch, windows);
                    TrainSeconds(model, c, batch, tokens, null, windows: 2);
                    double seconds = Median(Enumerable.Range(0, repeats).Select(_ => TrainSeconds(model, c, batch, tokens, null, windows)));
                    cells.Add(Invariant($"{1000 * seconds / windows:F1}"));
                }
                Say($"| {c.Name} | {string.Join(" | ", cells)} |");
            }
        }
    }

    /// <summary>Seconds to train <paramref name="windows"/> windows of the global <paramref name="batch"/> (one epoch of a stream that long).</summary>
    private static double TrainSeconds(LanguageModel model, TrainingHarness.Config c, int batch, int[] tokens, ICommunicator? world, int windows)
    {
        var options = new TrainingOptions { BatchSize = batch, Steps = c.Steps, Epochs = 1, Communicator = world };
        var trainer = new Trainer(model, new Adam(1e-3f), options);
        var data = tokens.AsMemory(0, batch * c.Steps * windows + 1);
        world?.Barrier();
        var clock = Stopwatch.StartNew();
        trainer.Fit(data, ReadOnlyMemory<int>.Empty);
        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>The median time of one all-reduce of a gradient of <paramref name="values"/> floats, in 4 MiB buckets from the end as the trainer sends them.</summary>
    private static double AllReduceMilliseconds(ICommunicator world, int values, int repeats)
    {
        var gradients = new float[values];
        var buckets = new List<Range>();
        for (int end = values; end > 0; end -= 1 << 20) buckets.Add(Math.Max(0, end - (1 << 20))..end);
        var times = new List<double>();
        for (int i = 0; i < repeats + 1; i++)
        {
            world.Barrier();
            var clock = Stopwatch.StartNew();
            world.AllReduceSum(gradients, buckets.ToArray());
            if (i > 0) times.Add(clock.Elapsed.TotalMilliseconds); // the first one sets up the connections
        }
        return Median(times);
    }

    private static int[] Tokens(TrainingHarness.Config c, int batch, int windows)
    {
        var random = new Random(7);
        return Enumerable.Range(0, batch * c.Steps * windows + 1).Select(_ => random.Next(c.Vocab)).ToArray();
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static int Value(string[] args, string name, int fallback) =>
        Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
