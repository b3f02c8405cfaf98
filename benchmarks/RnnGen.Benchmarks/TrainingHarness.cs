using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace RnnGen.Benchmarks;

/// <summary>
/// The throughput harness of the reference configurations: training tokens/s (forward, backward,
/// clipping, an Adam step), batched inference tokens/s, batch-1 generation microseconds per token,
/// GFLOP/s and the fraction of the FMA peak measured in the same run, and, where python3-torch is
/// installed, PyTorch's figures from ../shared/anchors/torch_rnn_lm.py at its fastest thread setting.
/// </summary>
public static class TrainingHarness
{
    public sealed record Config(string Name, string Cell, int Vocab, int Embedding, int Hidden, int Layers, int Steps, int Batch);

    public static readonly Config[] References =
    [
        new("gru-128", "gru", 65, 64, 128, 1, 64, 32),
        new("gru-512", "gru", 65, 64, 512, 1, 64, 32),
        new("lstm-512x2", "lstm", 65, 64, 512, 2, 64, 32),
        new("word-lstm", "lstm", 10000, 256, 512, 2, 35, 20),
    ];

    public sealed record Figures(double TrainTokensPerSecond, double InferTokensPerSecond, double GenerationMicroseconds);

    public static void Run(string[] args)
    {
        bool noTorch = args.Contains("--no-torch");
        int repeats = ArgValue(args, "--repeats", 5);
        var only = args.Where(a => !a.StartsWith("--") && !int.TryParse(a, out _)).ToHashSet();
        var configs = References.Where(c => only.Count == 0 || only.Contains(c.Name)).ToArray();

        Console.WriteLine($"Measuring the FMA peak ({Environment.ProcessorCount} cores)...");
        // A peak is a maximum: the best of three tries, so that a moment of load elsewhere does not lower it.
        double peak1 = Enumerable.Range(0, 3).Max(_ => FmaPeak.Measure(1)), peak2 = Enumerable.Range(0, 3).Max(_ => FmaPeak.Measure(2));
        Console.WriteLine($"FMA peak ({FmaPeak.VectorBits}-bit vectors): {peak1:F1} GFLOP/s on one core, {peak2:F1} GFLOP/s on two");
        Console.WriteLine();

        string? anchor = noTorch ? null : FindAnchor();
        Console.WriteLine("| config | train tok/s | GFLOP/s | % 2-core peak | infer tok/s | gen µs/token | torch train tok/s | torch infer tok/s | torch gen µs | train x | infer x | gen x |");
        Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var c in configs)
        {
            var ours = Measure(c, repeats);
            double flops = TrainingFlopsPerToken(c) * ours.TrainTokensPerSecond / 1e9;
            Figures? torch = anchor is null ? null : Torch(anchor, c);
            string Ratio(double a, double b) => a > 0 && b > 0 ? (a / b).ToString("F2", CultureInfo.InvariantCulture) : "-";
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {c.Name} | {ours.TrainTokensPerSecond:F0} | {flops:F1} | {100 * flops / peak2:F1}% | {ours.InferTokensPerSecond:F0} | {ours.GenerationMicroseconds:F1} | " +
                $"{(torch is null ? "-" : torch.TrainTokensPerSecond.ToString("F0", CultureInfo.InvariantCulture))} | " +
                $"{(torch is null ? "-" : torch.InferTokensPerSecond.ToString("F0", CultureInfo.InvariantCulture))} | " +
                $"{(torch is null ? "-" : torch.GenerationMicroseconds.ToString("F1", CultureInfo.InvariantCulture))} | " +
                $"{Ratio(ours.TrainTokensPerSecond, torch?.TrainTokensPerSecond ?? 0)} | {Ratio(ours.InferTokensPerSecond, torch?.InferTokensPerSecond ?? 0)} | " +
                $"{Ratio(torch?.GenerationMicroseconds ?? 0, ours.GenerationMicroseconds)} |"));
        }
        if (anchor is null) Console.WriteLine(noTorch ? "(PyTorch skipped: --no-torch)" : "(PyTorch not measured: python3-torch or ../shared/anchors/torch_rnn_lm.py not found)");
    }

    /// <summary>DESIGN §4: forward per layer gates * H * (I + H) * 2, output H * V * 2; training is about three forwards.</summary>
    public static double TrainingFlopsPerToken(Config c) => 3 * ForwardFlopsPerToken(c);

    public static double ForwardFlopsPerToken(Config c)
    {
        int gates = c.Cell == "gru" ? 3 : c.Cell == "lstm" ? 4 : 1;
        double flops = 0;
        for (int k = 0; k < c.Layers; k++)
            flops += 2.0 * gates * c.Hidden * ((k == 0 ? c.Embedding : c.Hidden) + c.Hidden);
        return flops + 2.0 * c.Hidden * c.Vocab;
    }

    public static LanguageModel Build(Config c) => c.Name switch
    {
        "gru-128" => new Gru128(c.Vocab),
        "gru-512" => new Gru512(c.Vocab),
        "lstm-512x2" => new Lstm512x2(c.Vocab),
        "word-lstm" => new WordLstm(c.Vocab),
        _ => throw new ArgumentException($"No model is declared for {c.Name}.", nameof(c)),
    };

    public static Figures Measure(Config c, int repeats)
    {
        var model = Build(c);
        var random = new Random(0);
        var batch = new TokenBatch(Enumerable.Range(0, c.Batch * c.Steps).Select(_ => random.Next(c.Vocab)).ToArray(),
            Enumerable.Range(0, c.Batch * c.Steps).Select(_ => random.Next(c.Vocab)).ToArray(), c.Batch, c.Steps);
        var adam = new Adam(1e-3f);
        void TrainStep()
        {
            model.ForwardBackward(batch);
            GradientClipping.ClipGlobalNorm(model.Parameters, 5f);
            adam.Step(model.Parameters);
        }
        double train = Timed(TrainStep, repeats);
        model.Training = false;
        double infer = Timed(() => model.Loss(batch), repeats);
        var stepper = new LanguageModel.Stepper(model);
        int token = 1;
        double gen = Timed(() => { for (int i = 0; i < 200; i++) token = SoftmaxArgMax(stepper.Step(token)); }, repeats) / 200;
        int tokens = c.Batch * c.Steps;
        return new Figures(tokens / train, tokens / infer, gen * 1e6);
    }

    private static int SoftmaxArgMax(ReadOnlySpan<float> logits) => System.Numerics.Tensors.TensorPrimitives.IndexOfMax(logits);

    /// <summary>
    /// The median seconds per call over <paramref name="repeats"/> samples of about 0.3 s each, after a warm-up
    /// of two seconds: long enough for the JIT's tiers and the worker threads to reach the steady state that a
    /// training run of minutes sees (the anchor script warms PyTorch up too).
    /// </summary>
    public static double Timed(Action action, int repeats)
    {
        var warmUp = Stopwatch.StartNew();
        do action(); while (warmUp.Elapsed.TotalSeconds < 2);
        var probe = Stopwatch.StartNew();
        action();
        int inner = Math.Max(1, (int)(0.3 / Math.Max(probe.Elapsed.TotalSeconds, 1e-6)));
        var samples = new List<double>();
        for (int r = 0; r < repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < inner; i++) action();
            samples.Add(clock.Elapsed.TotalSeconds / inner);
        }
        samples.Sort();
        return samples[samples.Count / 2];
    }

    private static string? FindAnchor()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "anchors", "torch_rnn_lm.py");
            if (File.Exists(candidate)) return File.Exists("/usr/bin/python3") ? candidate : null;
        }
        return null;
    }

    /// <summary>PyTorch with 1 and with 2 threads; the fastest of each figure is the anchor.</summary>
    private static Figures? Torch(string anchor, Config c)
    {
        Figures? best = null;
        foreach (int threads in new[] { 1, 2 })
        {
            var start = new ProcessStartInfo("/usr/bin/python3",
                string.Create(CultureInfo.InvariantCulture, $"\"{anchor}\" {c.Cell} {c.Vocab} {c.Embedding} {c.Hidden} {c.Steps} {c.Batch} {c.Layers} {threads}"))
            {
                RedirectStandardOutput = true, RedirectStandardError = true,
            };
            start.Environment.Remove("OPENBLAS_CORETYPE");
            start.Environment.Remove("OPENBLAS_L2_SIZE");
            start.Environment["OPENBLAS_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
            start.Environment["OMP_NUM_THREADS"] = threads.ToString(CultureInfo.InvariantCulture);
            using var process = Process.Start(start)!;
            string output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            var line = output.Split('\n').LastOrDefault(l => l.TrimStart().StartsWith('{'));
            if (process.ExitCode != 0 || line is null) return best;
            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            var figures = new Figures(root.GetProperty("train_tok_s").GetDouble(), root.GetProperty("infer_tok_s").GetDouble(), root.GetProperty("gen_us_per_token").GetDouble());
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  torch {c.Name} threads={threads}: train {figures.TrainTokensPerSecond:F0} tok/s, infer {figures.InferTokensPerSecond:F0} tok/s, gen {figures.GenerationMicroseconds:F1} µs"));
            best = best is null ? figures : new Figures(Math.Max(best.TrainTokensPerSecond, figures.TrainTokensPerSecond),
                Math.Max(best.InferTokensPerSecond, figures.InferTokensPerSecond), Math.Min(best.GenerationMicroseconds, figures.GenerationMicroseconds));
        }
        return best;
    }

    private static int ArgValue(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out int v) ? v : fallback;
    }
}
