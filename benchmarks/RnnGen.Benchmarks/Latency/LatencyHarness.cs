using System.Diagnostics;
using System.Globalization;
using System.Numerics.Tensors;
using System.Text.Json;

namespace RnnGen.Benchmarks.Latency;

/// <summary>
/// Batch-1 per-token latency of greedy generation, measured as a new user would: in one process, with the same weights,
/// (a) <see cref="LanguageModel.Stepper"/>, (b) a <see cref="LanguageModelSession"/> at each precision asked for and (c) ONNX
/// Runtime running the model's export with 1 and 2 intra-op threads, run in turn (each run rotates the order, so that no
/// engine always follows the same one); then (d) PyTorch, <c>../torch_latency.py</c>, with the same shapes and 1 and 2
/// threads. Every engine first runs the same tokens as the fp32 session, and the largest logit difference is printed:
/// they compute the same model. Figures are medians of the runs, in µs per token.
/// </summary>
public static class LatencyHarness
{
    private static readonly string[] DefaultConfigs = ["gru-512", "lstm-512x2", "word-lstm"];

    public static void Run(string[] args)
    {
        int tokens = ArgValue(args, "--tokens", 2000), runs = Math.Max(5, ArgValue(args, "--runs", 5));
        bool noOnnx = args.Contains("--no-onnx"), noTorch = args.Contains("--no-torch");
        var precisions = ArgText(args, "--precision", "fp32").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(ParsePrecision).ToArray();
        var names = Positional(args);
        var configs = TrainingHarness.References.Where(c => (names.Count == 0 ? DefaultConfigs : [.. names]).Contains(c.Name)).ToArray();
        if (configs.Length == 0)
            throw new ArgumentException($"No configuration named {string.Join(", ", names)}; the choices are {string.Join(", ", DefaultConfigs)}.");
        string? torchScript = noTorch ? null : FindScript();
        if (ArgValue(args, "--threads", 0) is > 0 and int maxThreads) Parallelism.MaxThreads = maxThreads;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Batch-1 greedy generation, µs per token: median of {runs} runs of {tokens} tokens after warm-up; RnnGen threads {Parallelism.MaxThreads}, {Environment.ProcessorCount} cores."));
        var rows = new List<(string Config, Dictionary<string, double> Figures)>();
        foreach (var c in configs)
        {
            var figures = MeasureInProcess(c, precisions, tokens, runs, noOnnx);
            if (torchScript is not null)
                foreach (var (threads, us) in Torch(torchScript, c, tokens, runs))
                    figures[$"pytorch t{threads}"] = us;
            rows.Add((c.Name, figures));
        }
        PrintTable(rows);
        if (torchScript is null) Console.WriteLine(noTorch ? "(PyTorch skipped: --no-torch)" : "(PyTorch not measured: /usr/bin/python3 or benchmarks/torch_latency.py not found)");
    }

    private static Dictionary<string, double> MeasureInProcess(TrainingHarness.Config c, Precision[] precisions, int tokens, int runs, bool noOnnx)
    {
        var model = TrainingHarness.Build(c);
        model.Training = false;
        string folder = Path.Combine(Path.GetTempPath(), "rnngen-latency-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        var engines = new List<ILatencyEngine>();
        try
        {
            var reference = new SessionEngine(model, Precision.Float32);
            engines.Add(new StepperEngine(model));
            foreach (var precision in precisions)
            {
                // fp32 twice: the exact path (the forward pass's bits) and the fused one (the whole step split over the cores).
                try { engines.Add(precision == Precision.Float32 ? reference : new SessionEngine(model, precision)); }
                catch (NotSupportedException e) { Console.WriteLine($"  {c.Name}: session {SessionEngine.Short(precision)} skipped: {e.Message}"); }
                if (precision == Precision.Float32) engines.Add(new SessionEngine(model, precision, fused: true));
            }
            if (!engines.Contains(reference)) engines.Add(reference);
            if (!noOnnx)
            {
                string path = Path.Combine(folder, c.Name + ".onnx");
                model.ExportOnnx(path);
                engines.Add(new OnnxRuntimeEngine(path, model, threads: 1));
                engines.Add(new OnnxRuntimeEngine(path, model, threads: 2));
            }

            CheckAgreement(c.Name, reference, engines, model.VocabSize);
            foreach (var e in engines) WarmUp(e);
            var samples = engines.ToDictionary(e => e.Name, _ => new List<double>());
            for (int r = 0; r < runs; r++)
                for (int i = 0; i < engines.Count; i++)
                {
                    var e = engines[(i + r) % engines.Count];
                    samples[e.Name].Add(Generate(e, tokens) * 1e6);
                }
            var figures = samples.ToDictionary(s => s.Key, s => Median(s.Value));
            foreach (var (name, list) in samples)
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {c.Name} {name}: {string.Join(" ", list.Select(v => v.ToString("F1", CultureInfo.InvariantCulture)))} µs/token"));
            return figures;
        }
        finally
        {
            foreach (var e in engines) e.Dispose();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Runs the same 32 tokens through every engine and prints the largest logit difference from the fp32 session's.</summary>
    private static void CheckAgreement(string config, ILatencyEngine reference, List<ILatencyEngine> engines, int vocab)
    {
        var random = new Random(7);
        var tokens = Enumerable.Range(0, 32).Select(_ => random.Next(vocab)).ToArray();
        reference.Reset();
        var expected = tokens.Select(t => reference.Step(t).ToArray()).ToArray();
        foreach (var e in engines.Where(e => e != reference))
        {
            e.Reset();
            double worst = 0;
            for (int t = 0; t < tokens.Length; t++)
            {
                var logits = e.Step(tokens[t]);
                for (int v = 0; v < vocab; v++) worst = Math.Max(worst, Math.Abs(logits[v] - expected[t][v]));
            }
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {config} {e.Name}: largest logit difference from session fp32 {worst:E2}"));
        }
    }

    /// <summary>At least a second and 500 tokens: the JIT's tiers, the workers, ONNX Runtime's spinning threads settle.</summary>
    private static void WarmUp(ILatencyEngine engine)
    {
        var clock = Stopwatch.StartNew();
        do Generate(engine, 500); while (clock.Elapsed.TotalSeconds < 1);
    }

    /// <summary>Seconds per token of greedy generation of <paramref name="count"/> tokens from token 1 and zero states.</summary>
    private static double Generate(ILatencyEngine engine, int count)
    {
        engine.Reset();
        int token = 1;
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
            token = TensorPrimitives.IndexOfMax(engine.Step(token));
        return clock.Elapsed.TotalSeconds / count;
    }

    /// <summary>PyTorch's median at 1 and at 2 threads, from its own process with OpenBLAS's core-type hints removed.</summary>
    private static IEnumerable<(int Threads, double Microseconds)> Torch(string script, TrainingHarness.Config c, int tokens, int runs)
    {
        foreach (int threads in new[] { 1, 2 })
        {
            var start = new ProcessStartInfo("/usr/bin/python3",
                string.Create(CultureInfo.InvariantCulture, $"\"{script}\" {c.Cell} {c.Vocab} {c.Embedding} {c.Hidden} {c.Layers} {threads} {tokens} {runs}"))
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            };
            start.Environment.Remove("OPENBLAS_CORETYPE");
            start.Environment.Remove("OPENBLAS_L2_SIZE");
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            string error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            var line = output.Split('\n').LastOrDefault(l => l.TrimStart().StartsWith('{'));
            if (process.ExitCode != 0 || line is null)
            {
                Console.Error.WriteLine($"  {c.Name} pytorch t{threads} failed (exit {process.ExitCode}): {error.Trim()}");
                continue;
            }
            using var json = JsonDocument.Parse(line);
            double us = json.RootElement.GetProperty("us_per_token").GetDouble();
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {c.Name} pytorch t{threads}: {us:F1} µs/token"));
            yield return (threads, us);
        }
    }

    private static void PrintTable(List<(string Config, Dictionary<string, double> Figures)> rows)
    {
        var engines = rows.SelectMany(r => r.Figures.Keys).Distinct().ToList();
        string F(double v) => v.ToString("F1", CultureInfo.InvariantCulture);
        string Ratio(double a, double b) => a > 0 && b > 0 ? (a / b).ToString("F2", CultureInfo.InvariantCulture) : "-";
        Console.WriteLine();
        Console.WriteLine($"| config | {string.Join(" | ", engines)} | onnxruntime best | pytorch best | onnxruntime best / session fp32 | pytorch best / session fp32 |");
        Console.WriteLine($"|---|{string.Concat(engines.Select(_ => "---|"))}---|---|---|---|");
        foreach (var (config, f) in rows)
        {
            double Best(string prefix) => f.Where(p => p.Key.StartsWith(prefix)).Select(p => p.Value).DefaultIfEmpty(0).Min();
            double ours = f.GetValueOrDefault("session fp32"), ort = Best("onnxruntime"), torch = Best("pytorch");
            Console.WriteLine($"| {config} | {string.Join(" | ", engines.Select(e => f.TryGetValue(e, out double v) ? F(v) : "-"))} | " +
                $"{(ort > 0 ? F(ort) : "-")} | {(torch > 0 ? F(torch) : "-")} | {Ratio(ort, ours)} | {Ratio(torch, ours)} |");
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        int n = sorted.Length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static Precision ParsePrecision(string name) => name.Trim().ToLowerInvariant() switch
    {
        "fp32" or "float32" => Precision.Float32,
        "bf16" or "bfloat16" => Precision.BFloat16,
        "int8" => Precision.Int8,
        _ => throw new ArgumentException($"--precision: '{name}' is not fp32, bf16 or int8."),
    };

    private static string? FindScript()
    {
        if (!File.Exists("/usr/bin/python3")) return null;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "benchmarks", "torch_latency.py");
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    /// <summary>The configuration names: arguments that are neither options nor an option's value.</summary>
    private static List<string> Positional(string[] args)
    {
        var names = new List<string>();
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] is "--tokens" or "--runs" or "--precision" or "--threads") { i++; continue; }
            if (!args[i].StartsWith("--")) names.Add(args[i]);
        }
        return names;
    }

    private static int ArgValue(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out int v) ? v : fallback;
    }

    private static string ArgText(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
