using RnnGen.Tests.Models;

namespace RnnGen.Tests.Topologies;

/// <summary>
/// The three new topologies against PyTorch on committed fixtures (tests/fixtures/torch/make_topology_fixtures.py,
/// packed sequences of different lengths): same weights, same batch; the predictions at real positions, the
/// loss (1e-5 relative) and every gradient (1e-4 relative, max norm) must agree.
/// </summary>
public class TopologyTorchParityTests
{
    [Fact]
    public void A_bidirectional_GRU_classifier_with_mean_pooling_matches_PyTorch()
    {
        var file = SafeTensors.Read(TorchParityTests.FixturePath("classifier_bigru_mean"));
        var model = new TorchBiGruMeanClassifier(int.Parse(file.Metadata["vocab"])) { Training = false };
        file.LoadInto(model.Parameters);
        var (tokens, lengths) = Tokens(file);
        var labels = file["batch.labels"].Data.Select(v => (int)v).ToArray();
        var batch = new SequenceBatch(tokens, labels);

        model.Loss(batch);
        TorchParityTests.AssertClose("logits", file["expected.logits"].Data, model.Network.Logits.ToArray(), 1e-5);
        float loss = model.ForwardBackward(batch); // its gradient overwrites the logits
        AssertLoss(file, loss);
        AssertGradients(file, model.Parameters);
    }

    [Fact]
    public void A_stacked_bidirectional_LSTM_tagger_matches_PyTorch()
    {
        var file = SafeTensors.Read(TorchParityTests.FixturePath("tagger_bilstm_l2"));
        var model = new TorchBiLstmTagger(int.Parse(file.Metadata["vocab"])) { Training = false };
        file.LoadInto(model.Parameters);
        var (tokens, lengths) = Tokens(file);
        int T = int.Parse(file.Metadata["steps"]);
        var allTags = file["batch.tags"].Data;
        var tags = tokens.Select((t, b) => Enumerable.Range(0, t.Length).Select(s => (int)allTags[b * T + s]).ToArray()).ToArray();
        var batch = new SequenceBatch(tokens, tags: tags, minSteps: T);

        float loss = model.ForwardBackward(batch);
        AssertLoss(file, loss);
        AssertGradients(file, model.Parameters);
        // Logits at real positions: PyTorch's are [B, T, K], ours time-major [T, B, K].
        var probabilities = model.PredictProbabilities(tokens);
        var expected = file["expected.logits"].Data;
        int K = model.Tags;
        for (int b = 0; b < tokens.Length; b++)
            for (int s = 0; s < lengths[b]; s++)
            {
                var softmax = Softmax(expected.AsSpan((b * T + s) * K, K));
                for (int k = 0; k < K; k++) Assert.True(Math.Abs(softmax[k] - probabilities[b][s][k]) <= 1e-5, $"row {b} step {s} tag {k}");
            }
    }

    [Fact]
    public void A_GRU_regressor_matches_PyTorch()
    {
        var file = SafeTensors.Read(TorchParityTests.FixturePath("regressor_gru"));
        var model = new TorchGruRegressor() { Training = false };
        file.LoadInto(model.Parameters);
        var m = file.Metadata;
        int T = int.Parse(m["steps"]), I = int.Parse(m["inputs"]), O = int.Parse(m["outputs"]);
        var lengths = file["batch.lengths"].Data.Select(v => (int)v).ToArray();
        var inputs = lengths.Select((n, b) => file["batch.inputs"].Data.AsSpan(b * T * I, n * I).ToArray()).ToArray();
        var targets = lengths.Select((n, b) => file["batch.targets"].Data.AsSpan(b * T * O, n * O).ToArray()).ToArray();

        float loss = model.ForwardBackward(model.CreateBatch(inputs, targets));
        AssertLoss(file, loss);
        AssertGradients(file, model.Parameters);
        var predicted = model.Predict(inputs);
        var expected = file["expected.outputs"].Data;
        for (int b = 0; b < lengths.Length; b++)
            TorchParityTests.AssertClose($"outputs of row {b}", expected.AsSpan(b * T * O, lengths[b] * O).ToArray(), predicted[b], 1e-5);
    }

    private static (int[][] Tokens, int[] Lengths) Tokens(SafeTensorsFile file)
    {
        int T = int.Parse(file.Metadata["steps"]);
        var lengths = file["batch.lengths"].Data.Select(v => (int)v).ToArray();
        var all = file["batch.tokens"].Data;
        return (lengths.Select((n, b) => Enumerable.Range(0, n).Select(s => (int)all[b * T + s]).ToArray()).ToArray(), lengths);
    }

    private static void AssertLoss(SafeTensorsFile file, float loss)
    {
        float expected = file["expected.loss"].Data[0];
        Assert.True(Math.Abs(loss - expected) <= 1e-5 * Math.Abs(expected), $"loss {loss:R} vs PyTorch {expected:R}");
    }

    private static void AssertGradients(SafeTensorsFile file, IReadOnlyList<Parameter> parameters)
    {
        foreach (var p in parameters)
            TorchParityTests.AssertClose(p.Name, file["grad." + p.Name].Data, p.Gradient.ToArray(), 1e-4);
    }

    private static double[] Softmax(ReadOnlySpan<float> logits)
    {
        double max = double.NegativeInfinity;
        foreach (float v in logits) max = Math.Max(max, v);
        var e = new double[logits.Length];
        for (int i = 0; i < e.Length; i++) e[i] = Math.Exp(logits[i] - max);
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }
}

// The fixtures' models, declared as a user would.
[SequenceClassifier(Embedding = 6, Classes = 3, Pooling = Pooling.Mean, Bidirectional = true)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 5)]
public partial class TorchBiGruMeanClassifier;

[SequenceTagger(Embedding = 5, Tags = 4, Bidirectional = true)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 4)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 4)]
public partial class TorchBiLstmTagger;

[SequenceRegressor(Inputs = 2, Outputs = 3)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 6)]
public partial class TorchGruRegressor;
