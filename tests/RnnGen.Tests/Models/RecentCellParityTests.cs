namespace RnnGen.Tests.Models;

/// <summary>
/// The built-in cells of 2017-2025 against PyTorch reference implementations written from their papers' equations
/// (tests/fixtures/torch/make_linear_cell_fixtures.py): one-layer language models with the same weights and batch;
/// the logits and the loss within 1e-5 and every gradient within 1e-4 of PyTorch's float32 run.
/// </summary>
public class RecentCellParityTests
{
    public static TheoryData<string> Fixtures() => new() { "mingru_l1", "minlstm_l1", "qrnn_l1", "slstm_l1" };

    private static LanguageModel Create(string cell, int vocab) => cell switch
    {
        "mingru" => new TorchMinGru1(vocab),
        "minlstm" => new TorchMinLstm1(vocab),
        "qrnn" => new TorchQrnn1(vocab),
        "slstm" => new TorchSLstm1(vocab),
        _ => throw new ArgumentException($"No model is declared for the fixture cell '{cell}'.", nameof(cell)),
    };

    [Theory]
    [MemberData(nameof(Fixtures))]
    public void Logits_loss_and_every_gradient_match_PyTorch(string name)
    {
        var file = SafeTensors.Read(TorchParityTests.FixturePath(name));
        var m = file.Metadata;
        int V = int.Parse(m["vocab"]), E = int.Parse(m["embedding"]), H = int.Parse(m["hidden"]);
        int B = int.Parse(m["batch"]), T = int.Parse(m["steps"]);
        var model = Create(m["cell"], V);
        Assert.Equal((E, H), (model.EmbeddingSize, model.Configuration.Layers[0].Hidden));
        // Every tensor of the fixture's model is one of ours, by name and size, and nothing of ours is missing from it.
        Assert.Equal(m["parameters"].Split(',').Order(), model.Parameters.Select(p => p.Name).Order());
        model.Training = false;
        file.LoadInto(model.Parameters);
        var batch = new TokenBatch(file["batch.inputs"].Data.Select(v => (int)v).ToArray(),
            file["batch.targets"].Data.Select(v => (int)v).ToArray(), B, T);

        TorchParityTests.AssertClose("logits", file["expected.logits"].Data, model.Logits(batch), 1e-5);
        float loss = model.ForwardBackward(batch);
        float expected = file["expected.loss"].Data[0];
        Assert.True(Math.Abs(loss - expected) <= 1e-5 * Math.Abs(expected), $"{name}: loss {loss:R} vs PyTorch {expected:R}");
        foreach (var p in model.Parameters)
            TorchParityTests.AssertClose($"{name}: {p.Name}", file["grad." + p.Name].Data, p.Gradient.ToArray(), 1e-4);
    }
}

// The fixtures' models (V = 11, E = 6, H = 8), declared as a user would.
[LanguageModel(Embedding = 6)] [Layer(typeof(RnnGen.Cells.MinGru), Hidden = 8)] public partial class TorchMinGru1;
[LanguageModel(Embedding = 6)] [Layer(typeof(RnnGen.Cells.MinLstm), Hidden = 8)] public partial class TorchMinLstm1;
[LanguageModel(Embedding = 6)] [Layer(typeof(RnnGen.Cells.Qrnn), Hidden = 8)] public partial class TorchQrnn1;
[LanguageModel(Embedding = 6)] [Layer(typeof(RnnGen.Cells.SLstm), Hidden = 8)] public partial class TorchSLstm1;
