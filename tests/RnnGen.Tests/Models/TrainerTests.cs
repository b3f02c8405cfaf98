namespace RnnGen.Tests.Models;

public class TrainerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnngen-trainer-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static int[] Tokens(out Vocabulary vocab)
    {
        string text = BracketLanguage.Generate(600, seed: 3);
        vocab = Vocabulary.Characters(text);
        return vocab.Encode(text);
    }

    [Fact]
    public void Validation_reports_perplexity_and_bits_per_token_and_the_best_checkpoint_is_kept()
    {
        var tokens = Tokens(out var vocab);
        var reports = new List<TrainingProgress>();
        string best = Path.Combine(_dir, "best.safetensors");
        var model = new BracketModel(vocab.Count, seed: 1);
        var history = new Trainer(model, new Adam(1e-2f), new TrainingOptions
        {
            BatchSize = 8, Steps = 16, Epochs = 3, ValidationsPerEpoch = 2, CheckpointPath = best, Vocabulary = vocab,
            Progress = new SynchronousProgress<TrainingProgress>(reports.Add),
        }).Fit(tokens, validationFraction: 0.1);

        Assert.Equal(6, history.Results.Count);
        Assert.Equal("3 epoch(s) done", history.StopReason);
        foreach (var r in history.Results)
        {
            Assert.Equal(Math.Exp(r.ValidationLoss), r.Perplexity, 6);
            Assert.Equal(r.ValidationLoss / Math.Log(2), r.BitsPerToken, 6);
        }
        Assert.True(history.Results[^1].ValidationLoss < history.Results[0].ValidationLoss);
        Assert.Contains(reports, p => p.Validation is not null);

        // The checkpoint holds the best model: its validation loss is the best one reported.
        var reloaded = new BracketModel(vocab.Count, seed: 2);
        reloaded.Load(best);
        var split = LanguageModelBatches.TrainValidationSplit(tokens, 0.1);
        Assert.Equal(history.Best!.ValidationLoss, Trainer.Evaluate(reloaded, split.Validation, 8, 16), 5);
    }

    [Fact]
    public void Resuming_from_the_last_checkpoint_continues_exactly_where_training_stopped()
    {
        var tokens = Tokens(out var vocab);
        TrainingOptions Options(string? resume, long? maxTokens) => new()
        {
            BatchSize = 4, Steps = 16, Epochs = 2, MaxTokens = maxTokens, ValidationsPerEpoch = 3,
            LastCheckpointPath = Path.Combine(_dir, "last.safetensors"), ResumeFrom = resume,
        };

        // One uninterrupted run.
        var straight = new BracketModel(vocab.Count, seed: 8);
        var straightHistory = new Trainer(straight, new Adam(5e-3f), Options(null, null) with { LastCheckpointPath = null }).Fit(tokens, 0.1);

        // The same run, stopped by a token budget, then resumed in a fresh process (fresh model and optimiser).
        var first = new BracketModel(vocab.Count, seed: 8);
        var stopped = new Trainer(first, new Adam(5e-3f), Options(null, maxTokens: 64 * 40)).Fit(tokens, 0.1);
        Assert.Equal("token budget reached", stopped.StopReason);
        var second = new BracketModel(vocab.Count, seed: 99);
        var resumed = new Trainer(second, new Adam(5e-3f), Options(Path.Combine(_dir, "last.safetensors"), null)).Fit(tokens, 0.1);

        Assert.Equal(straightHistory.Results[^1].Tokens, resumed.Results[^1].Tokens);
        for (int i = 0; i < straight.Parameters.Count; i++)
            Assert.True(straight.Parameters[i].Value.SequenceEqual(second.Parameters[i].Value), $"{straight.Parameters[i].Name} differs after resuming");
    }

    [Fact]
    public void A_diverging_loss_stops_training_with_the_step_and_keeps_the_last_good_checkpoint()
    {
        var tokens = Tokens(out var vocab);
        string best = Path.Combine(_dir, "best.safetensors");
        var model = new BracketModel(vocab.Count, seed: 1);
        // A good first epoch, then a weight gone bad (as after an overflow).
        var optimizer = new Sgd(0.5f);
        var history = new Trainer(model, optimizer, new TrainingOptions { BatchSize = 8, Steps = 16, Epochs = 1, CheckpointPath = best }).Fit(tokens, 0.1);
        var bytes = File.ReadAllBytes(best);

        model.Parameters.Single(p => p.Name == "output.bias").Value[0] = float.PositiveInfinity;
        var exploding = new Trainer(model, new Sgd(0.5f), new TrainingOptions { BatchSize = 8, Steps = 16, Epochs = 5, CheckpointPath = best });
        var e = Assert.Throws<TrainingDivergedException>(() => exploding.Fit(tokens, 0.1));
        Assert.True(e.Step >= 1);
        Assert.Contains($"step {e.Step}", e.Message);
        Assert.Equal(bytes, File.ReadAllBytes(best)); // the good checkpoint is untouched
        Assert.Single(history.Results);
    }

    [Fact]
    public void Early_stopping_ends_training_when_validation_stops_improving()
    {
        var tokens = Tokens(out var vocab);
        var model = new BracketModel(vocab.Count, seed: 1);
        // A rate too small to move a weight (the smallest the trainer accepts) never improves after the first validation.
        var history = new Trainer(model, new Sgd(1e-12f), new TrainingOptions { BatchSize = 8, Steps = 16, Epochs = 10, EarlyStoppingPatience = 2 })
            .Fit(tokens, 0.1);
        Assert.Equal(3, history.Results.Count);
        Assert.Equal("no improvement for 2 epoch(s)", history.StopReason);
    }

    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}

public class PlateauTests
{
    [Fact]
    public void The_learning_rate_is_lowered_when_validation_stops_improving()
    {
        string text = BracketLanguage.Generate(600, seed: 3);
        var vocab = Vocabulary.Characters(text);
        var model = new BracketModel(vocab.Count, seed: 1);
        // A threshold of 90%: no later validation counts as an improvement, and with no patience every one
        // of them halves the rate: 1e-2 after the first, then 5e-3, 2.5e-3, 1.25e-3.
        var adam = new Adam(1e-2f);
        var plateau = new ReduceOnPlateau(1e-2f, factor: 0.5f, patience: 0, minLearningRate: 0f, threshold: 0.9f);
        var history = new Trainer(model, adam, new TrainingOptions { BatchSize = 8, Steps = 16, Epochs = 1, ValidationsPerEpoch = 4, Plateau = plateau })
            .Fit(vocab.Encode(text), 0.1);
        Assert.Equal(4, history.Results.Count);
        Assert.Equal(1.25e-3f, adam.LearningRate);
        Assert.Equal(new[] { 1e-2f, 1e-2f, 5e-3f, 2.5e-3f }, history.Results.Select(r => r.LearningRate));
    }
}
