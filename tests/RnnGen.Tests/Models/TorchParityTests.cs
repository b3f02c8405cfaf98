namespace RnnGen.Tests.Models;

/// <summary>
/// The model against PyTorch on committed fixtures (tests/fixtures/torch, made by make_fixtures.py with
/// Debian's python3-torch): same weights, same batch; the logits, the loss and every gradient must agree.
/// </summary>
public class TorchParityTests
{
    public static TheoryData<string> Fixtures() => new() { "gru_l1", "gru_l2", "lstm_l1", "lstm_l2", "rnn_l1", "rnn_l2" };

    internal static string FixturePath(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "torch", name + ".safetensors");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException($"Fixture {name}.safetensors not found above {AppContext.BaseDirectory}.");
    }

    internal static (LanguageModel Model, TokenBatch Batch, SafeTensorsFile File) Load(string name)
    {
        var file = SafeTensors.Read(FixturePath(name));
        var m = file.Metadata;
        int V = int.Parse(m["vocab"]), E = int.Parse(m["embedding"]), H = int.Parse(m["hidden"]), L = int.Parse(m["layers"]);
        int B = int.Parse(m["batch"]), T = int.Parse(m["steps"]);
        LanguageModel model = (m["cell"], L) switch
        {
            ("gru", 1) => new TorchGru1(V),
            ("gru", 2) => new TorchGru2(V),
            ("lstm", 1) => new TorchLstm1(V),
            ("lstm", 2) => new TorchLstm2(V),
            ("rnn", 1) => new TorchRnn1(V),
            _ => new TorchRnn2(V),
        };
        Assert.Equal((E, H), (model.EmbeddingSize, model.Configuration.Layers[0].Hidden));
        model.Training = false;
        file.LoadInto(model.Parameters);
        var batch = new TokenBatch(file["batch.inputs"].Data.Select(v => (int)v).ToArray(),
            file["batch.targets"].Data.Select(v => (int)v).ToArray(), B, T);
        return (model, batch, file);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Logits_loss_and_every_gradient_match_PyTorch(string name)
    {
        var (model, batch, file) = Load(name);

        var logits = model.Logits(batch);
        AssertClose("logits", file["expected.logits"].Data, logits, 1e-5);

        float loss = model.ForwardBackward(batch);
        float expected = file["expected.loss"].Data[0];
        Assert.True(Math.Abs(loss - expected) <= 1e-5 * Math.Abs(expected), $"{name}: loss {loss:R} vs PyTorch {expected:R}");

        foreach (var p in model.Parameters)
            AssertClose(p.Name, file["grad." + p.Name].Data, p.Gradient.ToArray(), 1e-4);
    }

    /// <summary>max |a - b| relative to max |expected|.</summary>
    internal static void AssertClose(string what, float[] expected, float[] actual, double tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        double diff = 0, scale = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            diff = Math.Max(diff, Math.Abs(expected[i] - actual[i]));
            scale = Math.Max(scale, Math.Abs(expected[i]));
        }
        Assert.True(diff <= tolerance * scale, $"{what}: max difference {diff:E2} against a scale of {scale:E2}");
    }
}

// The fixtures' models (V = 13, E = 6, H = 8), declared as a user would.
[LanguageModel(Embedding = 6)] [Layer(typeof(RnnGen.Cells.Gru), Hidden = 8)] public partial class TorchGru1;
[LanguageModel(Embedding = 6)] [Layer(typeof(RnnGen.Cells.Gru), Hidden = 8)] [Layer(typeof(RnnGen.Cells.Gru), Hidden = 8)] public partial class TorchGru2;
[LanguageModel(Embedding = 6)] [Layer(typeof(RnnGen.Cells.Lstm), Hidden = 8)] public partial class TorchLstm1;
[LanguageModel(Embedding = 6)] [Layer(typeof(RnnGen.Cells.Lstm), Hidden = 8)] [Layer(typeof(RnnGen.Cells.Lstm), Hidden = 8)] public partial class TorchLstm2;
[LanguageModel(Embedding = 6)] [Layer(typeof(RnnGen.Cells.SimpleRnn), Hidden = 8)] public partial class TorchRnn1;
[LanguageModel(Embedding = 6)] [Layer(typeof(RnnGen.Cells.SimpleRnn), Hidden = 8)] [Layer(typeof(RnnGen.Cells.SimpleRnn), Hidden = 8)] public partial class TorchRnn2;
