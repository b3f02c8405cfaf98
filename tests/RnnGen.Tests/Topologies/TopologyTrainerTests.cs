namespace RnnGen.Tests.Topologies;

/// <summary>
/// The one Trainer on the data sets of the new topologies: validation with the task's metric, best and last
/// checkpoints that the models load, exact resume, and a clear error for data of the wrong kind.
/// </summary>
public class TopologyTrainerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnngen-topology-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Label 1 when token 1 comes before the first token 2 (order matters, counts do not).</summary>
    internal static LabeledSequences OrderTask(int count, int seed)
    {
        var random = new Random(seed);
        var tokens = new List<int[]>();
        var labels = new List<int>();
        for (int i = 0; i < count; i++)
        {
            var s = Enumerable.Range(0, random.Next(3, 9)).Select(_ => random.Next(3, TopologyData.Vocab)).ToArray();
            int a = random.Next(s.Length), b = random.Next(s.Length - 1);
            if (b >= a) b++;
            s[a] = 1;
            s[b] = 2;
            tokens.Add(s);
            labels.Add(a < b ? 1 : 0);
        }
        return new LabeledSequences(tokens, labels);
    }

    [Fact]
    public void A_classifier_learns_with_validation_accuracy_and_its_best_checkpoint_loads()
    {
        var (train, validation) = OrderTask(600, 1).Split(0.2, seed: 2);
        var model = new BiGruMeanClassifier(TopologyData.Vocab, seed: 3);
        string best = Path.Combine(_dir, "best.safetensors");
        var history = new Trainer(model, new Adam(1e-2f), new TrainingOptions { BatchSize = 16, Epochs = 8, CheckpointPath = best, Seed = 4 })
            .Fit(train, validation);

        Assert.All(history.Results, r => Assert.Equal("accuracy", r.MetricName));
        var first = history.Results[0];
        var top = history.Best!;
        Assert.True(top.ValidationLoss < first.ValidationLoss, $"validation loss {first.ValidationLoss} → {top.ValidationLoss}");
        Assert.True(top.Metric >= 0.9, $"best validation accuracy {top.Metric:P1}");

        // The trainer's checkpoint (with optimiser tensors) loads into a fresh model and predicts the same.
        var loaded = new BiGruMeanClassifier(TopologyData.Vocab, seed: 99);
        loaded.Load(best);
        var predicted = loaded.Predict(validation.Tokens);
        double accuracy = predicted.Zip(validation.Labels).Count(p => p.First == p.Second) / (double)validation.Count;
        Assert.Equal(top.Metric, accuracy, 6);
    }

    [Fact]
    public void A_tagger_and_a_regressor_report_their_metrics()
    {
        var random = new Random(5);
        var tokens = Enumerable.Range(0, 200).Select(_ => Enumerable.Range(0, random.Next(2, 7)).Select(_ => random.Next(TopologyData.Vocab)).ToArray()).ToList();
        // Tag: the previous token's parity (needs one step of memory).
        var tags = tokens.Select(s => s.Select((_, i) => i == 0 ? 2 : s[i - 1] % 2).ToArray()).ToList();
        var (tTrain, tValid) = new TaggedSequences(tokens, tags).Split(0.25);
        var tagger = new RnnTagger(TopologyData.Vocab, seed: 6);
        var taggerHistory = new Trainer(tagger, new Adam(2e-2f), new TrainingOptions { BatchSize = 16, Epochs = 6 }).Fit(tTrain, tValid);
        Assert.Equal("accuracy", taggerHistory.Best!.MetricName);
        Assert.True(taggerHistory.Best.Metric > 0.9, $"tagging accuracy {taggerHistory.Best.Metric:P1}");

        var inputs = TopologyData.Series(7, 2, Enumerable.Range(0, 120).Select(i => 2 + i % 6).ToArray());
        // Targets: the running sum of the first input and the current second input, per step.
        var targets = inputs.Select(x =>
        {
            var y = new float[x.Length / 2 * 3];
            float sum = 0;
            for (int s = 0; s < x.Length / 2; s++) { sum += x[2 * s]; y[3 * s] = sum; y[3 * s + 1] = x[2 * s + 1]; y[3 * s + 2] = 0.5f; }
            return y;
        }).ToList();
        var (rTrain, rValid) = new RegressionSequences(inputs, targets, 2, 3).Split(0.25);
        var regressor = new GruRegressor(seed: 8);
        var regressorHistory = new Trainer(regressor, new Adam(1e-2f), new TrainingOptions { BatchSize = 16, Epochs = 10 }).Fit(rTrain, rValid);
        Assert.Equal("rmse", regressorHistory.Best!.MetricName);
        Assert.Equal(Math.Sqrt(regressorHistory.Best.ValidationLoss), regressorHistory.Best.Metric, 5);
        Assert.True(regressorHistory.Best.ValidationLoss < regressorHistory.Results[0].ValidationLoss);
    }

    [Fact]
    public void A_classifier_run_resumed_from_its_last_checkpoint_ends_with_the_same_parameters()
    {
        var (train, validation) = OrderTask(200, 9).Split(0.2);
        TrainingOptions Options(long? tokens = null, string? resume = null) => new()
        {
            BatchSize = 8, Epochs = 2, Seed = 10, ValidationsPerEpoch = 3, MaxTokens = tokens, ResumeFrom = resume,
            LastCheckpointPath = Path.Combine(_dir, "last.safetensors"),
        };
        var straight = new BiGruMeanClassifier(TopologyData.Vocab, seed: 11);
        new Trainer(straight, new Adam(5e-3f), Options() with { LastCheckpointPath = null }).Fit(train, validation);

        var first = new BiGruMeanClassifier(TopologyData.Vocab, seed: 11);
        var stopped = new Trainer(first, new Adam(5e-3f), Options(tokens: 400)).Fit(train, validation);
        Assert.Equal("token budget reached", stopped.StopReason);
        var resumed = new BiGruMeanClassifier(TopologyData.Vocab, seed: 12);
        new Trainer(resumed, new Adam(5e-3f), Options(resume: Path.Combine(_dir, "last.safetensors"))).Fit(train, validation);

        for (int i = 0; i < straight.Parameters.Count; i++)
            Assert.True(straight.Parameters[i].Value.SequenceEqual(resumed.Parameters[i].Value), straight.Parameters[i].Name);
    }

    [Fact]
    public void Data_of_the_wrong_kind_is_a_clear_error()
    {
        var tagger = new RnnTagger(TopologyData.Vocab);
        var e = Assert.Throws<ArgumentException>(() => new Trainer(tagger, new Adam(1e-3f)).Fit(OrderTask(10, 1)));
        Assert.Contains("sequence-tagger (RnnTagger) cannot train on labeled sequences", e.Message);
    }

    [Fact]
    public void A_label_outside_the_classes_names_the_sequence()
    {
        var model = new BiGruMeanClassifier(TopologyData.Vocab);
        var e = Assert.Throws<ArgumentException>(() => model.Loss(new SequenceBatch([[1, 2], [3]], [0, 3])));
        Assert.Contains("Sequence 1 has label 3, but the model has 3 classes", e.Message);
    }
}
