using CharLm;

namespace RnnGen.Onnx.Tests;

/// <summary>What <c>rnngen export</c> writes runs in ONNX Runtime and predicts as the checkpoint does.</summary>
public sealed class CliExportTests
{
    [Fact]
    public void A_trained_checkpoint_exported_by_the_cli_matches_the_checkpoint_in_onnx_runtime()
    {
        using var folder = new TempFolder();
        string corpus = folder.File("corpus.txt");
        File.WriteAllText(corpus, string.Concat(Enumerable.Repeat("the cat sat on the mat. a dog ran to the log. ", 40)));
        string run = folder.File("run");
        var output = new StringWriter();
        var error = new StringWriter();
        int trained = Cli.Run(["train", "--text", corpus, "--out", run, "--epochs", "1", "--length", "0", "--model", "gru-tiny",
            "--batch", "4", "--steps", "16", "--seed", "1"], output, error);
        Assert.True(trained == 0, error.ToString());
        string onnx = folder.File("model.onnx");
        string best = Path.Combine(run, "best.safetensors");
        Assert.True(Cli.Run(["export", "--checkpoint", best, "--onnx", onnx], output, error) == 0, error.ToString());

        var loaded = ModelLoader.Load(new Options { Checkpoint = best });
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(onnx);
        Assert.Equal(loaded.Vocabulary.ToJson(), session.ModelMetadata.CustomMetadataMap[LanguageModel.VocabularyMetadataKey]);

        using var model = new OnnxRun(onnx);
        var tokens = loaded.Vocabulary.Encode("the dog sat on the cat");
        int steps = tokens.Length, hidden = loaded.Model.Network.Rnn.Layers[0].Forward.HiddenSize;
        var outputs = model.Run(("tokens", tokens.Select(t => (long)t).ToArray(), [1, steps]), ("state_in_0", new float[hidden], [1, 1, hidden]));
        var expected = loaded.Model.Logits(new TokenBatch(tokens, tokens, 1, steps));
        Close.Within(expected, outputs["logits"].Values, "gru-tiny logits");
    }
}
