namespace RnnGen.Onnx.Tests;

/// <summary>
/// Classifiers, taggers and regressors exported to ONNX and run in ONNX Runtime on batches of rows of different
/// lengths: the outputs at every real position match RnnGen's within 1e-4, whatever the padding holds.
/// </summary>
public sealed class TopologyExportTests
{
    private const int Vocab = 9;
    private static readonly int[] Batches = [1, 3, 8], Lengths = [1, 5, 17];

    public static TheoryData<string> Classifiers => new()
    {
        nameof(BiGruMeanClassifier), nameof(BiStackedLastClassifier), nameof(MaxPoolClassifier),
        nameof(LastLstmClassifier), nameof(BiRnnMaxClassifier), nameof(MeanLstmClassifier),
        nameof(BiTwoStatesLastClassifier), nameof(NormedLastClassifier), nameof(BiGatedMeanClassifier),
    };

    public static TheoryData<string> Taggers => new() { nameof(BiLstmTagger), nameof(RnnTagger), nameof(BiGruRnnTagger), nameof(BiCustomTagger) };

    public static TheoryData<string> Regressors => new() { nameof(GruRegressor), nameof(BiRegressor), nameof(StackedRegressor), nameof(GatedRegressor) };

    private static SequenceClassifier Classifier(string name) => Perturbed<SequenceClassifier>(name switch
    {
        nameof(BiGruMeanClassifier) => new BiGruMeanClassifier(Vocab, 1),
        nameof(BiStackedLastClassifier) => new BiStackedLastClassifier(Vocab, 2),
        nameof(MaxPoolClassifier) => new MaxPoolClassifier(Vocab, 3),
        nameof(LastLstmClassifier) => new LastLstmClassifier(Vocab, 4),
        nameof(BiRnnMaxClassifier) => new BiRnnMaxClassifier(Vocab, 5),
        nameof(MeanLstmClassifier) => new MeanLstmClassifier(Vocab, 6),
        nameof(BiTwoStatesLastClassifier) => new BiTwoStatesLastClassifier(Vocab, 7),
        nameof(NormedLastClassifier) => new NormedLastClassifier(Vocab, 8),
        nameof(BiGatedMeanClassifier) => new BiGatedMeanClassifier(Vocab, 9),
        _ => throw new ArgumentException(name),
    }, m => m.Network.Parameters.Values);

    private static SequenceTagger Tagger(string name) => Perturbed<SequenceTagger>(name switch
    {
        nameof(BiLstmTagger) => new BiLstmTagger(Vocab, 1),
        nameof(RnnTagger) => new RnnTagger(Vocab, 2),
        nameof(BiGruRnnTagger) => new BiGruRnnTagger(Vocab, 3),
        nameof(BiCustomTagger) => new BiCustomTagger(Vocab, 4),
        _ => throw new ArgumentException(name),
    }, m => m.Network.Parameters.Values);

    private static SequenceRegressor Regressor(string name) => Perturbed<SequenceRegressor>(name switch
    {
        nameof(GruRegressor) => new GruRegressor(1),
        nameof(BiRegressor) => new BiRegressor(2),
        nameof(StackedRegressor) => new StackedRegressor(3),
        nameof(GatedRegressor) => new GatedRegressor(4),
        _ => throw new ArgumentException(name),
    }, m => m.Network.Parameters.Values);

    private static TModel Perturbed<TModel>(TModel model, Func<TModel, float[]> values)
    {
        LanguageModelExportTests.Perturb(values(model), 31);
        return model;
    }

    [Theory]
    [MemberData(nameof(Classifiers))]
    public void Classifier_logits_match_RnnGen_over_padded_batches(string name)
    {
        var model = Classifier(name);
        using var folder = new TempFolder();
        model.ExportOnnx(folder.File("m.onnx"));
        using var onnx = new OnnxRun(folder.File("m.onnx"));
        var random = new Random(11);
        foreach (int batch in Batches)
            foreach (int steps in Lengths)
            {
                var rows = RandomRows(random, batch, steps);
                var sequences = rows.Select(n => Enumerable.Range(0, n).Select(_ => random.Next(Vocab)).ToArray()).ToArray();
                var expected = ClassifierLogits(model, sequences);
                var outputs = onnx.Run(("tokens", Padded(sequences, steps, random), [batch, steps]), ("lengths", rows.Select(n => (long)n).ToArray(), [batch]));
                Assert.Equal(new long[] { batch, model.Classes }, outputs["logits"].Shape);
                Close.Within(expected, outputs["logits"].Values, $"{name} batch {batch} steps {steps}");
            }
    }

    [Theory]
    [MemberData(nameof(Classifiers))]
    public void Classifier_without_lengths_reads_full_rows(string name)
    {
        var model = Classifier(name);
        using var folder = new TempFolder();
        model.ExportOnnx(folder.File("m.onnx"), lengths: false);
        using var onnx = new OnnxRun(folder.File("m.onnx"));
        Assert.Equal(["tokens"], onnx.Inputs.Keys);
        var random = new Random(12);
        foreach (var (batch, steps) in new[] { (1, 1), (3, 5), (8, 17) })
        {
            var sequences = Enumerable.Range(0, batch).Select(_ => Enumerable.Range(0, steps).Select(_ => random.Next(Vocab)).ToArray()).ToArray();
            var outputs = onnx.Run(("tokens", Padded(sequences, steps, random), [batch, steps]));
            Close.Within(ClassifierLogits(model, sequences), outputs["logits"].Values, $"{name} batch {batch} steps {steps}");
        }
    }

    [Theory]
    [MemberData(nameof(Taggers))]
    public void Tagger_logits_match_RnnGen_at_every_real_token(string name)
    {
        var model = Tagger(name);
        using var folder = new TempFolder();
        model.ExportOnnx(folder.File("m.onnx"));
        using var onnx = new OnnxRun(folder.File("m.onnx"));
        var random = new Random(13);
        foreach (int batch in Batches)
            foreach (int steps in Lengths)
            {
                var rows = RandomRows(random, batch, steps);
                var sequences = rows.Select(n => Enumerable.Range(0, n).Select(_ => random.Next(Vocab)).ToArray()).ToArray();
                var sb = new SequenceBatch(sequences);
                model.Network.Step(sb, Pass.Predict, training: false);
                var outputs = onnx.Run(("tokens", Padded(sequences, steps, random), [batch, steps]), ("lengths", rows.Select(n => (long)n).ToArray(), [batch]));
                Assert.Equal(new long[] { batch, steps, model.Tags }, outputs["logits"].Shape);
                CompareRealSteps(model.Network.Logits, outputs["logits"].Values, rows, steps, model.Tags, $"{name} batch {batch} steps {steps}");
            }
    }

    [Theory]
    [MemberData(nameof(Regressors))]
    public void Regressor_outputs_match_RnnGen_at_every_real_step(string name)
    {
        var model = Regressor(name);
        using var folder = new TempFolder();
        model.ExportOnnx(folder.File("m.onnx"));
        using var onnx = new OnnxRun(folder.File("m.onnx"));
        var random = new Random(14);
        int I = model.Inputs;
        foreach (int batch in Batches)
            foreach (int steps in Lengths)
            {
                var rows = RandomRows(random, batch, steps);
                var series = rows.Select(n => Enumerable.Range(0, n * I).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
                model.Network.Step(model.CreateBatch(series), Pass.Predict, training: false);
                // Padding holds noise: nothing may read it.
                var padded = new float[batch * steps * I];
                for (int i = 0; i < padded.Length; i++) padded[i] = (float)(random.NextDouble() * 10 - 5);
                for (int b = 0; b < batch; b++) series[b].CopyTo(padded.AsSpan(b * steps * I));
                var outputs = onnx.Run(("inputs", padded, [batch, steps, I]), ("lengths", rows.Select(n => (long)n).ToArray(), [batch]));
                Assert.Equal(new long[] { batch, steps, model.Outputs }, outputs["outputs"].Shape);
                CompareRealSteps(model.Network.Outputs, outputs["outputs"].Values, rows, steps, model.Outputs, $"{name} batch {batch} steps {steps}");
            }
    }

    [Fact]
    public void Sequence_models_declare_dynamic_batch_and_steps()
    {
        var model = new BiLstmTagger(Vocab);
        using var folder = new TempFolder();
        model.ExportOnnx(folder.File("m.onnx"));
        using var onnx = new OnnxRun(folder.File("m.onnx"));
        Assert.Equal(["tokens", "lengths"], onnx.Inputs.Keys);
        Assert.Equal(["batch", "steps"], onnx.Inputs["tokens"].SymbolicDimensions);
        Assert.Equal(["batch"], onnx.Inputs["lengths"].SymbolicDimensions);
        Assert.Equal(typeof(long), onnx.Inputs["lengths"].ElementType);
        Assert.Equal(["batch", "steps", ""], onnx.Outputs["logits"].SymbolicDimensions);
        Assert.Equal([-1, -1, model.Tags], onnx.Outputs["logits"].Dimensions);

        var regressor = new BiRegressor();
        using var folder2 = new TempFolder();
        regressor.ExportOnnx(folder2.File("m.onnx"));
        using var series = new OnnxRun(folder2.File("m.onnx"));
        Assert.Equal(["batch", "steps", ""], series.Inputs["inputs"].SymbolicDimensions);
        Assert.Equal([-1, -1, regressor.Inputs], series.Inputs["inputs"].Dimensions);
        Assert.Equal([-1, -1, regressor.Outputs], series.Outputs["outputs"].Dimensions);
    }

    private static float[] ClassifierLogits(SequenceClassifier model, int[][] sequences)
    {
        model.Network.Step(new SequenceBatch(sequences), Pass.Predict, training: false);
        return model.Network.Logits.ToArray();
    }

    /// <summary>Random row lengths in 1..steps, one row full so that the batch is <paramref name="steps"/> long.</summary>
    private static int[] RandomRows(Random random, int batch, int steps)
    {
        var rows = Enumerable.Range(0, batch).Select(_ => random.Next(1, steps + 1)).ToArray();
        rows[random.Next(batch)] = steps;
        return rows;
    }

    /// <summary>Row-major [batch, steps] ids, random ids past each row's end.</summary>
    private static long[] Padded(int[][] sequences, int steps, Random random)
    {
        var tokens = new long[sequences.Length * steps];
        for (int b = 0; b < sequences.Length; b++)
            for (int s = 0; s < steps; s++)
                tokens[b * steps + s] = s < sequences[b].Length ? sequences[b][s] : random.Next(Vocab);
        return tokens;
    }

    /// <summary>RnnGen's time-major [steps, batch, n] against ONNX's [batch, steps, n] at each row's real steps.</summary>
    private static void CompareRealSteps(ReadOnlySpan<float> timeMajor, float[] batchMajor, int[] rows, int steps, int n, string what)
    {
        int batch = rows.Length;
        for (int b = 0; b < batch; b++)
            for (int s = 0; s < rows[b]; s++)
                Close.Within(timeMajor.Slice((s * batch + b) * n, n), batchMajor.AsSpan((b * steps + s) * n, n), $"{what} row {b} step {s}");
    }
}
