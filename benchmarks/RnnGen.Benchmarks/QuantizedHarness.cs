using System.Diagnostics;
using System.Runtime.Intrinsics;
using RnnGen.Kernels;

namespace RnnGen.Benchmarks;

/// <summary>
/// `dotnet run -c Release --project benchmarks/RnnGen.Benchmarks -- quantized [--repeats N] [--checkpoint FILE]`:
/// batch-1 products y = W x, the read of the weights that bounds generation, for the layer shapes of gru-512,
/// lstm-512, a 1024-wide LSTM and word-lstm's output layer. Timed in one process, the configurations alternating in
/// every round so that load from other processes hits them alike: today's <see cref="Gemm.Multiply(bool, bool, int, int, int, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, Span{float}, int, bool)"/>
/// (plain and with W packed once), and <see cref="QuantizedMatrix.MultiplyParallel"/> in fp32, bf16 and int8, on 1 and
/// 2 threads: µs per product (median of the rounds) and GB/s of weights read, beside a plain read of the same fp32 bytes
/// split the same way (<see cref="StreamRead"/>): the machine's read bandwidth at that size, the floor of any fp32
/// product. Then the accuracy: the relative RMS
/// error of bf16 and int8 products against the double product, on uniform(-1/sqrt(n), 1/sqrt(n)) weights and, with a
/// checkpoint, on its trained weights times its carried hidden states.
/// </summary>
public static class QuantizedHarness
{
    private static readonly (string Name, int Rows, int Columns)[] Shapes =
    [
        ("gru-512 W_hh [1536x512]", 1536, 512),
        ("lstm-512 W_hh [2048x512]", 2048, 512),
        ("lstm-1024 W_hh [4096x1024]", 4096, 1024),
        ("word-lstm output [10000x512]", 10000, 512),
    ];

    private sealed record Config(string Name, long Bytes, Action Run);

    public static void Run(string[] args)
    {
        int repeats = ArgValue(args, "--repeats", 5);
        string? checkpoint = args.SkipWhile(a => a != "--checkpoint").Skip(1).FirstOrDefault();
        Console.WriteLine($"{Environment.ProcessorCount} cores, Vector512 {(Vector512.IsHardwareAccelerated ? "on" : "off")}, {repeats} rounds (medians)");
        Console.WriteLine();
        Console.WriteLine("| product | threads | plain read of the fp32 bytes | Gemm fp32 | Gemm packed fp32 | ours fp32 | bf16 | int8 | int8 / ours fp32 |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var (name, rows, columns) in Shapes)
        {
            var w = Uniform(rows * columns, 1 / MathF.Sqrt(columns), 1);
            var x = Uniform(columns, 1, 2);
            var y = new float[rows];
            var packed = new PackedMatrix<float>();
            Gemm.Pack(true, columns, rows, w, columns, packed);
            var f32 = QuantizedMatrix.Create(w, rows, columns, Precision.Float32);
            var bf16 = QuantizedMatrix.Create(w, rows, columns, Precision.BFloat16);
            var int8 = QuantizedMatrix.Create(w, rows, columns, Precision.Int8);
            long fp32Bytes = 4L * rows * columns;
            foreach (int threads in new[] { 1, 2 })
            {
                Config[] configs =
                [
                    new("gemm", fp32Bytes, () => Gemm.Multiply(false, true, 1, rows, columns, x, columns, w, columns, y, rows, false)),
                    new("packed", fp32Bytes, () => Gemm.Multiply(1, x, columns, packed, y, rows, false)),
                    new("fp32", f32.WeightBytes, () => f32.MultiplyParallel(x, 1, y)),
                    new("bf16", bf16.WeightBytes, () => bf16.MultiplyParallel(x, 1, y)),
                    new("int8", int8.WeightBytes, () => int8.MultiplyParallel(x, 1, y)),
                    new("read", fp32Bytes, () => StreamRead.Run(w)),
                ];
                var micros = Time(configs, threads, repeats);
                string Cell(int i) => $"{micros[i]:F1} µs ({configs[i].Bytes / micros[i] / 1000:F1} GB/s)";
                Console.WriteLine($"| {name} | {threads} | {Cell(5)} | {Cell(0)} | {Cell(1)} | {Cell(2)} | {Cell(3)} | {Cell(4)} | {micros[2] / micros[4]:F2}x |");
            }
        }
        Parallelism.MaxThreads = Environment.ProcessorCount;
        Console.WriteLine();
        Accuracy(checkpoint);
    }

    /// <summary>Median µs per call of each configuration; in each round every configuration runs once, in turn.</summary>
    private static double[] Time(Config[] configs, int threads, int repeats)
    {
        Parallelism.MaxThreads = threads;
        var calls = new int[configs.Length];
        for (int i = 0; i < configs.Length; i++)
        {
            for (int w = 0; w < 50; w++) configs[i].Run();
            // Enough calls for about 20 ms per sample.
            var sw = Stopwatch.StartNew();
            int n = 0;
            while (sw.Elapsed.TotalMilliseconds < 5) { configs[i].Run(); n++; }
            calls[i] = Math.Max(10, n * 4);
        }
        var samples = new double[configs.Length][];
        for (int i = 0; i < configs.Length; i++) samples[i] = new double[repeats];
        for (int r = 0; r < repeats; r++)
            for (int i = 0; i < configs.Length; i++)
            {
                long start = Stopwatch.GetTimestamp();
                for (int c = 0; c < calls[i]; c++) configs[i].Run();
                samples[i][r] = Stopwatch.GetElapsedTime(start).TotalMicroseconds / calls[i];
            }
        return samples.Select(s => s.Order().ElementAt(s.Length / 2)).ToArray();
    }

    private static void Accuracy(string? checkpoint)
    {
        Console.WriteLine("Relative RMS error against the double product: ||y - y_exact|| / ||y_exact|| over the outputs");
        Console.WriteLine();
        Console.WriteLine("| weights | x | bf16 | int8 |");
        Console.WriteLine("|---|---|---:|---:|");
        foreach (var (name, rows, columns) in Shapes)
            Report($"{name}, uniform(±1/sqrt({columns}))", "uniform(-1, 1), 8 rows",
                Uniform(rows * columns, 1 / MathF.Sqrt(columns), 3), rows, columns, Uniform(8 * columns, 1, 4), 8);
        if (checkpoint is null)
            return;
        var file = SafeTensors.Read(checkpoint);
        // The inputs the layers see: the carried hidden states for products over the hidden size, the embedding's rows for the input product.
        var states = file.TryGet("trainer.state_l0", out var s) ? s.Data : null;
        var embeddings = file.TryGet("embedding.weight", out var e) ? e.Data : null;
        foreach (string tensor in file.Names.Where(n => n.EndsWith("weight", StringComparison.Ordinal) || n.Contains("weight_", StringComparison.Ordinal)))
        {
            if (tensor.StartsWith("optimizer.", StringComparison.Ordinal) || tensor.Contains("embedding", StringComparison.Ordinal))
                continue;
            var t = file[tensor];
            if (t.Shape.Length != 2)
                continue;
            int rows = t.Shape[0], columns = t.Shape[1];
            bool embedded = tensor.Contains("weight_ih_l0", StringComparison.Ordinal) && embeddings is not null && embeddings.Length % columns == 0;
            bool hidden = !embedded && states is not null && states.Length % columns == 0;
            var x = embedded ? embeddings! : hidden ? states! : Uniform(8 * columns, 1, 5);
            int batch = x.Length / columns;
            string input = embedded ? $"its embedding rows, {batch}" : hidden ? $"its carried hidden states, {batch} rows" : "uniform(-1, 1), 8 rows";
            Report($"{Path.GetFileName(checkpoint)}: {tensor} [{rows}x{columns}]", input, t.Data, rows, columns, x, batch);
        }
    }

    private static void Report(string weights, string input, float[] w, int rows, int columns, float[] x, int batch)
    {
        var exact = new double[batch * rows];
        for (int b = 0; b < batch; b++)
            for (int r = 0; r < rows; r++)
            {
                double sum = 0;
                for (int c = 0; c < columns; c++)
                    sum += (double)w[r * columns + c] * x[b * columns + c];
                exact[b * rows + r] = sum;
            }
        double Error(Precision precision)
        {
            var y = new float[batch * rows];
            QuantizedMatrix.Create(w, rows, columns, precision).Multiply(x, batch, y);
            double num = 0, den = 0;
            for (int i = 0; i < y.Length; i++)
            {
                num += (y[i] - exact[i]) * (y[i] - exact[i]);
                den += exact[i] * exact[i];
            }
            return Math.Sqrt(num / den);
        }
        Console.WriteLine($"| {weights} | {input} | {Error(Precision.BFloat16):P3} | {Error(Precision.Int8):P3} |");
    }

    private static float[] Uniform(int length, float a, int seed)
    {
        var random = new Random(seed);
        var v = new float[length];
        for (int i = 0; i < v.Length; i++)
            v[i] = (float)(random.NextDouble() * 2 - 1) * a;
        return v;
    }

    private static int ArgValue(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1]) : fallback;
    }
}
