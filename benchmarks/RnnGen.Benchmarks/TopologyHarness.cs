using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace RnnGen.Benchmarks;

// The three sequence-model topologies of ../torch_topologies.py, declared as a user would, at the script's sizes.

/// <summary>Classifier: V=64, E=32, bidirectional GRU 64, mean pooling, 2 classes (batch 64, 16 steps).</summary>
[SequenceClassifier(Embedding = 32, Classes = 2, Pooling = Pooling.Mean, Bidirectional = true)]
[Layer(typeof(Cells.Gru), Hidden = 64)]
public partial class TopologyClassifier;

/// <summary>Tagger: V=2000, E=64, bidirectional LSTM 128, 12 tags (batch 32, 32 steps).</summary>
[SequenceTagger(Embedding = 64, Tags = 12, Bidirectional = true)]
[Layer(typeof(Cells.Lstm), Hidden = 128)]
public partial class TopologyTagger;

/// <summary>The tagger read one way only (a diagnostic of `--breakdown`: what the second direction costs).</summary>
[SequenceTagger(Embedding = 64, Tags = 12)]
[Layer(typeof(Cells.Lstm), Hidden = 128)]
public partial class TopologyTaggerOneWay;

/// <summary>Regressor: 1 input, GRU 32, 1 output (batch 32, 64 steps).</summary>
[SequenceRegressor(Inputs = 1, Outputs = 1)]
[Layer(typeof(Cells.Gru), Hidden = 32)]
public partial class TopologyRegressor;

/// <summary>
/// `-- topologies [kind...] [--no-torch] [--repeats N] [--breakdown] [--threads N]`: training throughput of the classifier,
/// tagger and regressor topologies (one step = ForwardBackward, global-norm clipping at 5, an Adam step, timed as
/// <see cref="TrainingHarness.Timed"/> times the language models), against ../torch_topologies.py run in the
/// same process with 1 and with 2 threads (the faster is the anchor). Every row is full length, as in the script.
/// `--breakdown` also times ForwardBackward, the forward pass alone (Loss), the clipping and the Adam step each on
/// its own; `--threads 1` sets <see cref="Parallelism.MaxThreads"/> so that RnnGen too runs on one thread.
/// </summary>
public static class TopologyHarness
{
    public sealed record Kind(string Name, int Batch, int Steps, Func<ITopology> Create);

    /// <summary>One model with one fixed batch: its training step split into its three parts.</summary>
    public interface ITopology
    {
        void ForwardBackward();
        void Forward();
        void Clip();
        void Adam();
    }

    public static readonly Kind[] Kinds =
    [
        new("classifier", 64, 16, () => new Classifier(new TopologyClassifier(64), 64, 16, 64, 2)),
        new("tagger", 32, 32, () => new Tagger(new TopologyTagger(2000), 32, 32, 2000, 12)),
        new("regressor", 32, 64, () => new Regressor(new TopologyRegressor(), 32, 64)),
    ];

    public static void Run(string[] args)
    {
        bool noTorch = args.Contains("--no-torch");
        bool breakdown = args.Contains("--breakdown");
        int repeats = ArgValue(args, "--repeats", 5);
        // --threads 1 keeps every product and recurrence on the calling thread (Parallelism.MaxThreads), as PyTorch's 1-thread setting.
        int threads = ArgValue(args, "--threads", 0);
        if (threads > 0) Parallelism.MaxThreads = threads;
        var only = args.Where(a => !a.StartsWith("--") && !int.TryParse(a, out _)).ToHashSet();
        var kinds = Kinds.Where(k => only.Count == 0 || only.Contains(k.Name)).ToArray();
        if (kinds.Length == 0) throw new ArgumentException($"No kind matches {string.Join(", ", only)}; the kinds are {string.Join(", ", Kinds.Select(k => k.Name))}.");

        string? script = noTorch ? null : FindScript();
        Console.WriteLine($"Topologies, {Environment.ProcessorCount} cores, RnnGen on up to {Parallelism.MaxThreads} threads; each figure the median of {repeats} samples of about 0.3 s after a 2 s warm-up.");
        Console.WriteLine();
        Console.WriteLine("| kind | RnnGen train tok/s | RnnGen seq/s | PyTorch train tok/s (faster setting) | PyTorch seq/s | ratio |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        var parts = new List<string>();
        foreach (var k in kinds)
        {
            var t = k.Create();
            double step = TrainingHarness.Timed(() => { t.ForwardBackward(); t.Clip(); t.Adam(); }, repeats);
            double tok = k.Batch * k.Steps / step, seq = k.Batch / step;
            var torch = script is null ? null : Torch(script, k.Name);
            string Num(double? v) => v is null ? "-" : v.Value.ToString("N0", CultureInfo.InvariantCulture);
            string ratio = torch is null ? "-" : (tok / torch.Value.Tok).ToString("F2", CultureInfo.InvariantCulture);
            string setting = torch is null ? "" : $" ({torch.Value.Threads} thr)";
            Console.WriteLine($"| {k.Name} | {Num(tok)} | {Num(seq)} | {Num(torch?.Tok)}{setting} | {Num(torch?.Seq)} | {ratio} |");
            if (breakdown)
            {
                double fb = TrainingHarness.Timed(t.ForwardBackward, repeats);
                double fwd = TrainingHarness.Timed(t.Forward, repeats);
                double clip = TrainingHarness.Timed(t.Clip, repeats);
                double adam = TrainingHarness.Timed(t.Adam, repeats);
                // The full step once more, after its parts: tells an order effect (load, JIT) from one of the step itself.
                double again = TrainingHarness.Timed(() => { t.ForwardBackward(); t.Clip(); t.Adam(); }, repeats);
                parts.Add(string.Create(CultureInfo.InvariantCulture,
                    $"| {k.Name} | {step * 1e3:F3} | {again * 1e3:F3} | {fb * 1e3:F3} | {fwd * 1e3:F3} | {clip * 1e3:F3} | {adam * 1e3:F3} | {100 * fb / (fb + clip + adam):F0}% |"));
            }
        }
        if (script is null)
            Console.WriteLine(noTorch ? "(PyTorch skipped: --no-torch)" : "(PyTorch not measured: /usr/bin/python3 with torch, or ../torch_topologies.py, not found)");
        if (breakdown)
        {
            // Same-run controls: the tagger one way, and the LM harness's gru-128 training step (605,942 tok/s idle, RESULTS.md).
            var oneWay = new Tagger(new TopologyTaggerOneWay(2000), 32, 32, 2000, 12);
            double oneWayStep = TrainingHarness.Timed(() => { oneWay.ForwardBackward(); oneWay.Clip(); oneWay.Adam(); }, repeats);
            var lm = TrainingHarness.Build(TrainingHarness.References[0]);
            var c = TrainingHarness.References[0];
            var random = new Random(0);
            var tokens = new TokenBatch(Enumerable.Range(0, c.Batch * c.Steps).Select(_ => random.Next(c.Vocab)).ToArray(),
                Enumerable.Range(0, c.Batch * c.Steps).Select(_ => random.Next(c.Vocab)).ToArray(), c.Batch, c.Steps);
            var adam = new Adam(1e-3f);
            double lmStep = TrainingHarness.Timed(() => { lm.ForwardBackward(tokens); GradientClipping.ClipGlobalNorm(lm.Parameters, 5f); adam.Step(lm.Parameters); }, repeats);
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"| tagger one way (control) | {oneWayStep * 1e3:F3} | | | | | | |"));
            parts.Add(string.Create(CultureInfo.InvariantCulture, $"| LM gru-128 (control, {c.Batch * c.Steps / lmStep:N0} tok/s) | {lmStep * 1e3:F3} | | | | | | |"));
        }
        if (parts.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("| kind | full step ms | full step again ms | ForwardBackward ms | of which forward (Loss) ms | clip ms | Adam ms | ForwardBackward share |");
            Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var line in parts) Console.WriteLine(line);
        }
    }

    private sealed class Classifier(SequenceClassifier model, int rows, int steps, int vocab, int classes) : ITopology
    {
        private readonly SequenceBatch _batch = Sequences(rows, steps, vocab, classes, tags: false);
        private readonly Adam _adam = new(1e-3f);
        public void ForwardBackward() => model.ForwardBackward(_batch);
        public void Forward() => model.Loss(_batch);
        public void Clip() => GradientClipping.ClipGlobalNorm(model.Parameters, 5f);
        public void Adam() => _adam.Step(model.Parameters);
    }

    private sealed class Tagger(SequenceTagger model, int rows, int steps, int vocab, int tags) : ITopology
    {
        private readonly SequenceBatch _batch = Sequences(rows, steps, vocab, tags, tags: true);
        private readonly Adam _adam = new(1e-3f);
        public void ForwardBackward() => model.ForwardBackward(_batch);
        public void Forward() => model.Loss(_batch);
        public void Clip() => GradientClipping.ClipGlobalNorm(model.Parameters, 5f);
        public void Adam() => _adam.Step(model.Parameters);
    }

    private sealed class Regressor(SequenceRegressor model, int rows, int steps) : ITopology
    {
        private readonly RegressionBatch _batch = Series(model, rows, steps);
        private readonly Adam _adam = new(1e-3f);
        public void ForwardBackward() => model.ForwardBackward(_batch);
        public void Forward() => model.Loss(_batch);
        public void Clip() => GradientClipping.ClipGlobalNorm(model.Parameters, 5f);
        public void Adam() => _adam.Step(model.Parameters);
    }

    /// <summary>Full-length rows of random ids; random labels (one per row) or random tags (one per token).</summary>
    private static SequenceBatch Sequences(int rows, int steps, int vocab, int classes, bool tags)
    {
        var random = new Random(0);
        var sequences = Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, steps).Select(_ => random.Next(vocab)).ToArray()).ToArray();
        return tags
            ? new SequenceBatch(sequences, tags: sequences.Select(s => s.Select(_ => random.Next(classes)).ToArray()).ToArray())
            : new SequenceBatch(sequences, labels: sequences.Select(_ => random.Next(classes)).ToArray());
    }

    /// <summary>Full-length series of standard-normal inputs and targets, as the script's randn.</summary>
    private static RegressionBatch Series(SequenceRegressor model, int rows, int steps)
    {
        var random = new Random(0);
        float Normal() => (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        float[][] Draw(int width) => Enumerable.Range(0, rows).Select(_ => Enumerable.Range(0, steps * width).Select(_ => Normal()).ToArray()).ToArray();
        return model.CreateBatch(Draw(model.Inputs), Draw(model.Outputs));
    }

    private static string? FindScript()
    {
        if (!File.Exists("/usr/bin/python3")) return null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "benchmarks", "torch_topologies.py");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>PyTorch with 1 and with 2 threads; the faster is the anchor (null where the script fails, e.g. no torch).</summary>
    private static (double Tok, double Seq, int Threads)? Torch(string script, string kind)
    {
        (double Tok, double Seq, int Threads)? best = null;
        foreach (int threads in new[] { 1, 2 })
        {
            var start = new ProcessStartInfo("/usr/bin/python3", string.Create(CultureInfo.InvariantCulture, $"\"{script}\" {kind} {threads}"))
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            };
            start.Environment.Remove("OPENBLAS_CORETYPE");
            start.Environment.Remove("OPENBLAS_L2_SIZE");
            start.Environment["OPENBLAS_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
            start.Environment["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
            using var process = Process.Start(start)!;
            var stderr = process.StandardError.ReadToEndAsync();
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var line = output.Split('\n').LastOrDefault(l => l.TrimStart().StartsWith('{'));
            if (process.ExitCode != 0 || line is null)
            {
                Console.Error.WriteLine($"  torch {kind} threads={threads}: no result (exit {process.ExitCode}): {stderr.Result.Trim().Split('\n').LastOrDefault()}");
                return best;
            }
            using var json = JsonDocument.Parse(line);
            double tok = json.RootElement.GetProperty("train_tok_s").GetDouble(), seq = json.RootElement.GetProperty("train_seq_s").GetDouble();
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  torch {kind} threads={threads}: train {tok:F0} tok/s, {seq:F0} seq/s"));
            if (best is null || tok > best.Value.Tok) best = (tok, seq, threads);
        }
        return best;
    }

    private static int ArgValue(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out int v) ? v : fallback;
    }
}
