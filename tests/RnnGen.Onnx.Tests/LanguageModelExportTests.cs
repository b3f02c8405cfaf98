namespace RnnGen.Onnx.Tests;

/// <summary>
/// Language models of every built-in cell exported to ONNX and run in ONNX Runtime: logits and final states match
/// RnnGen's own forward pass from random states, over batches and lengths of several sizes, and a stream run in
/// two chunks with the states fed back matches one run over the whole sequence.
/// </summary>
public sealed class LanguageModelExportTests
{
    private const int Vocab = 11;

    public static TheoryData<string> Models => new()
    {
        nameof(GruLm1), nameof(GruLm2), nameof(LstmLm1), nameof(LstmLm2), nameof(RnnLm1), nameof(RnnLm2), nameof(RnnLstmLm2),
        nameof(MinimalLm), nameof(GatedLm), nameof(TwoStatesLm), nameof(NormedLm), nameof(MyGruLm), nameof(ShiftedLm),
        nameof(MinGruLm), nameof(MinLstmLm), nameof(QrnnLm), nameof(SruLm), nameof(IndRnnLm), nameof(SLstmLm),
    };

    internal static LanguageModel Create(string name, int seed = 3)
    {
        LanguageModel model = name switch
        {
            nameof(GruLm1) => new GruLm1(Vocab, seed),
            nameof(GruLm2) => new GruLm2(Vocab, seed),
            nameof(LstmLm1) => new LstmLm1(Vocab, seed),
            nameof(LstmLm2) => new LstmLm2(Vocab, seed),
            nameof(RnnLm1) => new RnnLm1(Vocab, seed),
            nameof(RnnLm2) => new RnnLm2(Vocab, seed),
            nameof(RnnLstmLm2) => new RnnLstmLm2(Vocab, seed),
            nameof(MinimalLm) => new MinimalLm(Vocab, seed),
            nameof(GatedLm) => new GatedLm(Vocab, seed),
            nameof(TwoStatesLm) => new TwoStatesLm(Vocab, seed),
            nameof(NormedLm) => new NormedLm(Vocab, seed),
            nameof(MyGruLm) => new MyGruLm(Vocab, seed),
            nameof(ShiftedLm) => new ShiftedLm(Vocab, seed),
            nameof(MinGruLm) => new MinGruLm(Vocab, seed),
            nameof(MinLstmLm) => new MinLstmLm(Vocab, seed),
            nameof(QrnnLm) => new QrnnLm(Vocab, seed),
            nameof(SruLm) => new SruLm(Vocab, seed),
            nameof(IndRnnLm) => new IndRnnLm(Vocab, seed),
            nameof(SLstmLm) => new SLstmLm(Vocab, seed),
            _ => throw new ArgumentException(name),
        };
        model.Training = false;
        Perturb(model.Network.Parameters.Values, seed);
        return model;
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Logits_and_final_states_match_RnnGen_for_every_batch_and_length(string name)
    {
        var model = Create(name);
        using var folder = new TempFolder();
        string path = folder.File("model.onnx");
        model.ExportOnnx(path);
        using var onnx = new OnnxRun(path);
        var random = new Random(17);
        foreach (int batch in new[] { 1, 3, 8 })
            foreach (int steps in new[] { 1, 5, 17 })
            {
                var tokens = RandomTokens(random, batch, steps);
                var state = RandomState(model, random, batch);
                var inputs = StateInputs(model, state).Prepend(("tokens", (Array)Longs(tokens), new long[] { batch, steps })).ToArray();
                var outputs = onnx.Run(inputs);

                var expected = model.Logits(new TokenBatch(tokens, tokens, batch, steps), state); // advances state to the final one
                string what = $"{name} batch {batch} steps {steps}";
                Assert.Equal(new long[] { batch, steps, Vocab }, outputs["logits"].Shape);
                Close.Within(expected, outputs["logits"].Values, what + " logits");
                var finals = Flatten(model, state);
                for (int k = 0; k < finals.Count; k++)
                {
                    Assert.Equal(new long[] { 1, batch, finals[k].Length / batch }, outputs[$"state_out_{k}"].Shape);
                    Close.Within(finals[k], outputs[$"state_out_{k}"].Values, $"{what} state_out_{k}");
                }
            }
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void A_stream_in_two_chunks_with_the_state_fed_back_matches_one_run(string name)
    {
        var model = Create(name);
        using var folder = new TempFolder();
        string path = folder.File("model.onnx");
        model.ExportOnnx(path);
        using var onnx = new OnnxRun(path);
        var random = new Random(5);
        foreach (var (batch, first, second) in new[] { (1, 1, 4), (3, 5, 12), (8, 9, 8) })
        {
            int steps = first + second;
            var tokens = RandomTokens(random, batch, steps);
            var whole = model.Logits(new TokenBatch(tokens, tokens, batch, steps), model.CreateState(batch));

            var zeros = Flatten(model, model.CreateState(batch)).Select(z => ((Array)z, new long[] { 1, batch, z.Length / batch })).ToArray();
            var head = onnx.Run([("tokens", Longs(Columns(tokens, batch, steps, 0, first)), [batch, first]),
                .. zeros.Select((z, k) => ($"state_in_{k}", z.Item1, z.Item2))]);
            var tail = onnx.Run([("tokens", Longs(Columns(tokens, batch, steps, first, second)), [batch, second]),
                .. zeros.Select((z, k) => ($"state_in_{k}", (Array)head[$"state_out_{k}"].Values, head[$"state_out_{k}"].Shape))]);

            // RnnGen's logits [batch, steps, vocab], row by row: the first chunk's then the second's.
            var streamed = new float[whole.Length];
            for (int b = 0; b < batch; b++)
            {
                head["logits"].Values.AsSpan(b * first * Vocab, first * Vocab).CopyTo(streamed.AsSpan(b * steps * Vocab));
                tail["logits"].Values.AsSpan(b * second * Vocab, second * Vocab).CopyTo(streamed.AsSpan((b * steps + first) * Vocab));
            }
            Close.Within(whole, streamed, $"{name} batch {batch}, {first} + {second} steps");
        }
    }

    [Fact]
    public void A_missing_folder_is_named()
    {
        var model = Create(nameof(GruLm1));
        using var folder = new TempFolder();
        string path = Path.Combine(folder.Path, "absent", "model.onnx");
        var e = Assert.Throws<DirectoryNotFoundException>(() => model.ExportOnnx(path));
        Assert.Contains(path, e.Message);
    }

    /// <summary>Noise on every parameter, so that layer-norm gains (which start at one) and biases (zero) matter too.</summary>
    internal static void Perturb(float[] values, int seed)
    {
        var random = new Random(seed);
        for (int i = 0; i < values.Length; i++) values[i] += (float)(random.NextDouble() - 0.5) * 0.6f;
    }

    internal static int[] RandomTokens(Random random, int batch, int steps) => Enumerable.Range(0, batch * steps).Select(_ => random.Next(Vocab)).ToArray();

    internal static long[] Longs(int[] values) => values.Select(v => (long)v).ToArray();

    /// <summary>Columns [from, from + count) of a row-major [batch, steps] array.</summary>
    private static int[] Columns(int[] tokens, int batch, int steps, int from, int count)
    {
        var result = new int[batch * count];
        for (int b = 0; b < batch; b++) tokens.AsSpan(b * steps + from, count).CopyTo(result.AsSpan(b * count));
        return result;
    }

    /// <summary>A state of random values in (-1, 1), so that the exported graph must read its state inputs.</summary>
    private static RecurrentState RandomState(LanguageModel model, Random random, int batch)
    {
        var state = model.CreateState(batch);
        foreach (var layer in state.Layers)
            for (int i = 0; i < layer.Length; i++) layer[i] = (float)(random.NextDouble() * 2 - 1);
        state.IsZero = false;
        return state;
    }

    /// <summary>The state's values as the export numbers them: per layer h (then c), each [1, batch, hidden].</summary>
    private static List<float[]> Flatten(LanguageModel model, RecurrentState state)
    {
        var result = new List<float[]>();
        for (int k = 0; k < state.Layers.Length; k++)
        {
            var cell = model.Network.Rnn.Layers[k].Forward;
            int size = state.BatchSize * cell.HiddenSize;
            for (int s = 0; s < cell.StateCount; s++) result.Add(state.Layers[k].AsSpan(s * size, size).ToArray());
        }
        return result;
    }

    private static IEnumerable<(string, Array, long[])> StateInputs(LanguageModel model, RecurrentState state) =>
        Flatten(model, state).Select((v, k) => ($"state_in_{k}", (Array)v, new long[] { 1, state.BatchSize, v.Length / state.BatchSize }));
}
