using RnnGen.Tests.Models;

namespace RnnGen.Tests.Training;

/// <summary>
/// A run stopped by its budget and resumed from its last checkpoint is the run that never stopped: the plateau
/// schedule's state, the dropout streams and the best validation (loss, step) all come back.
/// </summary>
public class TrainerResumeTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnngen-resume-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Last => Path.Combine(_dir, "last.safetensors");

    private static int[] Tokens(out Vocabulary vocab)
    {
        string text = BracketLanguage.Generate(600, seed: 3);
        vocab = Vocabulary.Characters(text);
        return vocab.Encode(text);
    }

    // Every scheduled validation after the first halves the rate (no later one is 90% better), so a plateau that
    // restarted on resume would jump back to the initial rate.
    private static ReduceOnPlateau Plateau() => new(5e-3f, factor: 0.5f, patience: 0, minLearningRate: 0f, threshold: 0.9f);

    private TrainingOptions Options(string? resume, long? maxTokens, bool plateau) => new()
    {
        BatchSize = 4, Steps = 16, Epochs = 2, MaxTokens = maxTokens, ValidationsPerEpoch = 3,
        Plateau = plateau ? Plateau() : null, LastCheckpointPath = Last, ResumeFrom = resume,
        CheckpointPath = Path.Combine(_dir, "best.safetensors"),
    };

    /// <summary>Runs uninterrupted, then stopped after <paramref name="stopAfter"/> windows and resumed in a fresh model and optimiser.</summary>
    private (TrainingHistory Straight, TrainingHistory Resumed, Optimizer StraightOptimizer, Optimizer ResumedOptimizer) StraightAndResumed<TModel>(
        Func<int, TModel> create, int[] tokens, int stopAfter, bool plateau, out TModel straight, out TModel second) where TModel : ITrainable
    {
        straight = create(8);
        var straightAdam = new Adam(5e-3f);
        var straightHistory = new Trainer(straight, straightAdam, Options(null, null, plateau) with { LastCheckpointPath = null, CheckpointPath = null }).Fit(
            (ReadOnlyMemory<int>)tokens, 0.1);

        var first = create(8);
        var stopped = new Trainer(first, new Adam(5e-3f), Options(null, maxTokens: 64L * stopAfter, plateau)).Fit((ReadOnlyMemory<int>)tokens, 0.1);
        Assert.Equal("token budget reached", stopped.StopReason);
        second = create(8); // the same seed: the dropout masks come from it
        for (int i = 0; i < second.Parameters.Count; i++) second.Parameters[i].Value.Clear(); // the checkpoint must bring them back
        var resumedAdam = new Adam(5e-3f);
        var resumed = new Trainer(second, resumedAdam, Options(Last, null, plateau)).Fit((ReadOnlyMemory<int>)tokens, 0.1);
        return (straightHistory, resumed, straightAdam, resumedAdam);
    }

    private static void AssertSameParameters(ITrainable a, ITrainable b)
    {
        for (int i = 0; i < a.Parameters.Count; i++)
            Assert.True(a.Parameters[i].Value.SequenceEqual(b.Parameters[i].Value), $"{a.Parameters[i].Name} differs after resuming");
    }

    [Fact]
    public void Resuming_with_the_plateau_schedule_is_bit_identical_and_keeps_the_lowered_rate()
    {
        var tokens = Tokens(out var vocab);
        var (straight, resumed, straightAdam, resumedAdam) = StraightAndResumed(s => new BracketModel(vocab.Count, s), tokens, 40, plateau: true, out var a, out var b);

        AssertSameParameters(a, b);
        Assert.Equal(straightAdam.LearningRate, resumedAdam.LearningRate);
        Assert.True(straightAdam.LearningRate < 5e-3f / 4, "the plateau should have lowered the rate several times");
        // The resumed session's validations report the rates the uninterrupted run used at the same steps.
        foreach (var r in resumed.Results.Where(r => straight.Results.Any(s => s.Step == r.Step)))
            Assert.Equal(straight.Results.Single(s => s.Step == r.Step).LearningRate, r.LearningRate);
        Assert.Equal(straight.Results[^1].ValidationLoss, resumed.Results[^1].ValidationLoss);
    }

    [Fact]
    public void Resuming_a_model_with_dropout_draws_the_same_masks_and_is_bit_identical()
    {
        var tokens = Tokens(out var vocab);
        var (_, _, _, _) = StraightAndResumed(s => new TinyLstmModel(vocab.Count, s), tokens, 33, plateau: false, out var a, out var b);
        AssertSameParameters(a, b);
        Assert.NotEqual(0UL, a.Network.Rnn.DropoutModules.Single().Calls);
        Assert.Equal(a.Network.Rnn.DropoutModules.Single().Calls, b.Network.Rnn.DropoutModules.Single().Calls);
    }

    [Fact]
    public void After_a_resume_the_best_loss_and_step_describe_the_best_checkpoint_on_disk()
    {
        var tokens = Tokens(out var vocab);
        string best = Path.Combine(_dir, "best.safetensors");
        var first = new BracketModel(vocab.Count, seed: 8);
        var stopped = new Trainer(first, new Adam(1e-2f), Options(null, maxTokens: 64L * 40, plateau: false)).Fit(tokens, 0.1);
        var before = stopped.Best!;

        var saved = TrainerCheckpoint.Read(SafeTensors.Read(Last));
        Assert.Equal(before.ValidationLoss, saved.BestLoss);
        Assert.Equal(before.Step, saved.BestStep);
        AssertSame(before, saved.Best);
        Assert.Equal(TrainerCheckpoint.Read(SafeTensors.Read(best)).BestStep, before.Step);

        // A resumed session that cannot improve (a rate too small to move a weight): the best is still the earlier one.
        var second = new BracketModel(vocab.Count, seed: 8);
        var resumed = new Trainer(second, new Adam(1e-2f), Options(Last, null, plateau: false) with { Schedule = new ConstantSchedule(1e-12f) })
            .Fit(tokens, 0.1);
        AssertSame(before, resumed.ResumedBest);
        AssertSame(before, resumed.Best);
        Assert.All(resumed.Results, r => Assert.True(r.ValidationLoss >= before.ValidationLoss));
        var reloaded = new BracketModel(vocab.Count, seed: 2);
        reloaded.Load(best);
        var split = LanguageModelBatches.TrainValidationSplit(tokens, 0.1);
        Assert.Equal(resumed.Best!.ValidationLoss, Trainer.Evaluate(reloaded, split.Validation, 4, 16), 5);
    }

    /// <summary>The same validation, its time read back from seconds (to within a millisecond).</summary>
    private static void AssertSame(EpochResult expected, EpochResult? actual)
    {
        Assert.NotNull(actual);
        Assert.True(Math.Abs((expected.Elapsed - actual.Elapsed).TotalMilliseconds) < 1);
        Assert.Equal(expected, actual with { Elapsed = expected.Elapsed });
    }

    [Fact]
    public void The_checkpoint_schema_reads_back_through_TrainerCheckpoint()
    {
        var tokens = Tokens(out var vocab);
        var model = new TinyLstmModel(vocab.Count, seed: 1);
        var adam = new Adam(5e-3f);
        new Trainer(model, adam, Options(null, maxTokens: 64L * 10, plateau: true)).Fit(tokens, 0.1);
        var c = TrainerCheckpoint.Read(SafeTensors.Read(Last));
        Assert.Equal(1, c.Epoch);
        Assert.Equal(10, c.Window);
        Assert.Equal(640, c.Tokens);
        Assert.True(c.Elapsed > TimeSpan.Zero);
        Assert.Equal(adam.LearningRate, c.LearningRate);
        Assert.NotNull(c.Plateau);
        Assert.Equal(model.Network.Rnn.DropoutModules.Select(d => d.Calls), c.DropoutCalls!);

        // A plain model file has no trainer state: a clear CheckpointException.
        string plain = Path.Combine(_dir, "plain.safetensors");
        model.Save(plain);
        var e = Assert.Throws<CheckpointException>(() => TrainerCheckpoint.Read(SafeTensors.Read(plain)));
        Assert.Contains("rnngen.trainer.", e.Message);
    }
}
