namespace RnnGen.Onnx.Tests;

/// <summary>
/// Encoder-decoders exported as an encoder and a decoder step and run in ONNX Runtime over padded batches of
/// sources: the decoder's initial states, then the log-probabilities and attention weights of several steps with
/// the states fed back, match RnnGen's own decoder (the one its greedy and beam search use) within 1e-4.
/// </summary>
public sealed class Seq2SeqExportTests
{
    private const int SourceVocab = 9, TargetVocab = 8, DecodedSteps = 4;

    public static TheoryData<string> Models => new() { nameof(DotBiGruTranslator), nameof(GeneralLstmTranslator), nameof(AdditiveBiRnnTranslator), nameof(CustomTranslator) };

    private static Seq2SeqModel Create(string name) => name switch
    {
        nameof(DotBiGruTranslator) => new DotBiGruTranslator(SourceVocab, TargetVocab, 1),
        nameof(GeneralLstmTranslator) => new GeneralLstmTranslator(SourceVocab, TargetVocab, 2),
        nameof(AdditiveBiRnnTranslator) => new AdditiveBiRnnTranslator(SourceVocab, TargetVocab, 3),
        nameof(CustomTranslator) => new CustomTranslator(SourceVocab, TargetVocab, 4),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(Models))]
    public void Encoder_and_decoder_steps_match_RnnGen(string name)
    {
        var model = Create(name);
        model.Training = false;
        LanguageModelExportTests.Perturb(model.Network.Values, 41);
        using var folder = new TempFolder();
        string path = folder.File("m.onnx");
        model.ExportOnnx(path);
        using var encoder = new OnnxRun(path);
        using var step = new OnnxRun(folder.File("m.decoder.onnx"));
        var decoderCells = model.Network.Decoder.Layers.Select(l => l.Forward).ToArray();
        int stateCount = decoderCells.Sum(c => c.StateCount);
        var random = new Random(21);
        foreach (int batch in new[] { 1, 3, 8 })
            foreach (int steps in new[] { 1, 5, 17 })
            {
                var lengths = Enumerable.Range(0, batch).Select(_ => random.Next(1, steps + 1)).ToArray();
                lengths[random.Next(batch)] = steps;
                var sources = lengths.Select(n => Enumerable.Range(0, n).Select(_ => random.Next(SourceVocab)).ToArray()).ToArray();
                var tokens = new long[batch * steps];
                for (int b = 0; b < batch; b++)
                    for (int s = 0; s < steps; s++) tokens[b * steps + s] = s < lengths[b] ? sources[b][s] : random.Next(SourceVocab);
                var lengthsInput = ("lengths", (Array)lengths.Select(n => (long)n).ToArray(), new long[] { batch });
                var encoded = encoder.Run(("tokens", tokens, [batch, steps]), lengthsInput);
                string what = $"{name} batch {batch} steps {steps}";

                var decoders = sources.Select(s => new Seq2SeqDecoder<float>(model.Network, s)).ToArray();
                var states = decoders.Select(d => d.InitialState()).ToArray();
                var fed = Enumerable.Range(0, stateCount).Select(k => encoded[$"state_out_{k}"]).ToArray();
                for (int b = 0; b < batch; b++) CompareStates(states[b], fed, decoderCells, b, $"{what} row {b} initial");

                for (int t = 0; t < DecodedSteps; t++)
                {
                    var previous = Enumerable.Range(0, batch).Select(_ => (long)random.Next(TargetVocab)).ToArray();
                    var outputs = step.Run([("token", previous, [batch]),
                        .. fed.Select((f, k) => ($"state_in_{k}", (Array)f.Values, f.Shape)),
                        ("memory", encoded["memory"].Values, encoded["memory"].Shape), lengthsInput]);
                    for (int b = 0; b < batch; b++)
                    {
                        var logProbs = new double[TargetVocab];
                        var weights = decoders[b].Step([(int)previous[b]], states[b], logProbs).ToArray();
                        var logits = outputs["logits"].Values.AsSpan(b * TargetVocab, TargetVocab);
                        Close.Within(logProbs.Select(p => (float)p).ToArray(), LogSoftmax(logits), $"{what} step {t} row {b} log-probabilities");
                        var attention = outputs["attention"].Values.AsSpan(b * steps, steps).ToArray();
                        Close.Within([.. weights, .. new float[steps - lengths[b]]], attention, $"{what} step {t} row {b} attention");
                    }
                    fed = Enumerable.Range(0, stateCount).Select(k => outputs[$"state_out_{k}"]).ToArray();
                    for (int b = 0; b < batch; b++) CompareStates(states[b], fed, decoderCells, b, $"{what} row {b} step {t}");
                }
            }
    }

    [Fact]
    public void The_decoder_step_goes_where_asked()
    {
        var model = Create(nameof(DotBiGruTranslator));
        using var folder = new TempFolder();
        model.ExportOnnx(folder.File("enc.onnx"), folder.File("dec.onnx"));
        Assert.True(File.Exists(folder.File("dec.onnx")));
        Assert.False(File.Exists(folder.File("enc.decoder.onnx")));
        using var step = new OnnxRun(folder.File("dec.onnx"));
        Assert.Equal(["token", "state_in_0", "memory", "lengths"], step.Inputs.Keys);
        Assert.Equal(["logits", "state_out_0", "attention"], step.Outputs.Keys);
        Assert.Equal(["batch", "source_steps", ""], step.Inputs["memory"].SymbolicDimensions);
        var e = Assert.Throws<ArgumentException>(() => model.ExportOnnx(folder.File("same.onnx"), folder.File("same.onnx")));
        Assert.Contains("same.onnx", e.Message);
    }

    /// <summary>RnnGen's state of one row (per layer [states, 1, hidden]) against row <paramref name="row"/> of ONNX's state_k [1, batch, hidden].</summary>
    private static void CompareStates(RecurrentState<float> state, (float[] Values, long[] Shape)[] onnx, IRecurrentCell[] cells, int row, string what)
    {
        int k = 0;
        for (int layer = 0; layer < cells.Length; layer++)
        {
            int H = cells[layer].HiddenSize;
            for (int s = 0; s < cells[layer].StateCount; s++, k++)
                Close.Within(state.Layers[layer].AsSpan(s * H, H), onnx[k].Values.AsSpan(row * H, H), $"{what} state {k}");
        }
    }

    private static float[] LogSoftmax(ReadOnlySpan<float> logits)
    {
        double max = double.NegativeInfinity;
        foreach (float v in logits) max = Math.Max(max, v);
        double sum = 0;
        foreach (float v in logits) sum += Math.Exp(v - max);
        double log = Math.Log(sum) + max;
        var result = new float[logits.Length];
        for (int i = 0; i < logits.Length; i++) result[i] = (float)(logits[i] - log);
        return result;
    }
}
