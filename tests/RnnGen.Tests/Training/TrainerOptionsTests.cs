using RnnGen.Tests.Models;

namespace RnnGen.Tests.Training;

/// <summary>Options that would train nothing, never stop or break a checkpoint fail in the Trainer's constructor, naming the option.</summary>
public class TrainerOptionsTests
{
    private static readonly BracketModel Model = new(8, seed: 1);

    public static TheoryData<string, string> BadOptions() => new()
    {
        { "ClipNorm NaN", "ClipNorm" },
        { "ClipNorm infinite", "ClipNorm" },
        { "ClipNorm minus infinity", "ClipNorm" },
        { "MaxTokens 0", "MaxTokens" },
        { "MaxTokens negative", "MaxTokens" },
        { "MaxDuration 0", "MaxDuration" },
        { "MaxDuration negative", "MaxDuration" },
        { "BatchSize 0", "BatchSize" },
        { "Steps 0", "Steps" },
        { "Epochs 0", "Epochs" },
        { "ValidationsPerEpoch 0", "ValidationsPerEpoch" },
        { "EarlyStoppingPatience 0", "EarlyStoppingPatience" },
        { "StopAtMetric NaN", "StopAtMetric" },
        { "ProgressInterval negative", "ProgressInterval" },
        { "learning rate 0", "LearningRate" },
        { "learning rate 1e-13", "LearningRate" },
        { "cosine peak 1e-20", "Schedule" },
        { "plateau rate 0", "Plateau" },
    };

    private static (Optimizer, TrainingOptions) Case(string name) => name switch
    {
        "ClipNorm NaN" => (new Adam(1e-3f), new TrainingOptions { ClipNorm = float.NaN }),
        "ClipNorm infinite" => (new Adam(1e-3f), new TrainingOptions { ClipNorm = float.PositiveInfinity }),
        "ClipNorm minus infinity" => (new Adam(1e-3f), new TrainingOptions { ClipNorm = float.NegativeInfinity }),
        "MaxTokens 0" => (new Adam(1e-3f), new TrainingOptions { MaxTokens = 0 }),
        "MaxTokens negative" => (new Adam(1e-3f), new TrainingOptions { MaxTokens = -5 }),
        "MaxDuration 0" => (new Adam(1e-3f), new TrainingOptions { MaxDuration = TimeSpan.Zero }),
        "MaxDuration negative" => (new Adam(1e-3f), new TrainingOptions { MaxDuration = TimeSpan.FromSeconds(-1) }),
        "BatchSize 0" => (new Adam(1e-3f), new TrainingOptions { BatchSize = 0 }),
        "Steps 0" => (new Adam(1e-3f), new TrainingOptions { Steps = 0 }),
        "Epochs 0" => (new Adam(1e-3f), new TrainingOptions { Epochs = 0 }),
        "ValidationsPerEpoch 0" => (new Adam(1e-3f), new TrainingOptions { ValidationsPerEpoch = 0 }),
        "EarlyStoppingPatience 0" => (new Adam(1e-3f), new TrainingOptions { EarlyStoppingPatience = 0 }),
        "StopAtMetric NaN" => (new Adam(1e-3f), new TrainingOptions { StopAtMetric = double.NaN }),
        "ProgressInterval negative" => (new Adam(1e-3f), new TrainingOptions { ProgressInterval = TimeSpan.FromSeconds(-1) }),
        "learning rate 0" => (new Adam(0f), new TrainingOptions()),
        "learning rate 1e-13" => (new Sgd(1e-13f), new TrainingOptions()),
        "cosine peak 1e-20" => (new Adam(1e-3f), new TrainingOptions { Schedule = new CosineSchedule(1e-20f, 100) }),
        "plateau rate 0" => (new Adam(1e-3f), new TrainingOptions { Plateau = new ReduceOnPlateau(0f) }),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void A_bad_option_fails_in_the_constructor_naming_it(string name, string option)
    {
        var (optimizer, options) = Case(name);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(Model, optimizer, options));
        Assert.Equal(option, e.ParamName);
        Assert.Contains(option, e.Message);
    }

    [Fact]
    public void The_learning_rate_message_says_why()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(Model, new Adam(1e-13f)));
        Assert.Contains("The optimizer's LearningRate must be finite and at least 1e-12", e.Message);
        var clip = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(Model, new Adam(1e-3f), new TrainingOptions { ClipNorm = float.NaN }));
        Assert.Contains("ClipNorm must be a finite number", clip.Message);
    }

    [Fact]
    public void The_defaults_and_clipping_turned_off_are_accepted()
    {
        _ = new Trainer(Model, new Adam(1e-3f));
        _ = new Trainer(Model, new Sgd(1e-12f), new TrainingOptions { ClipNorm = 0, MaxTokens = 1, MaxDuration = TimeSpan.FromSeconds(1) });
        _ = new Trainer(Model, new Adam(0f), new TrainingOptions { Schedule = new CosineSchedule(1e-3f, 100, warmupSteps: 10) });
    }

    [Fact]
    public void The_best_and_the_last_checkpoint_cannot_be_the_same_file()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new Trainer(Model, new Adam(1e-3f), new TrainingOptions { CheckpointPath = "run/x.safetensors", LastCheckpointPath = "run/./x.safetensors" }));
        Assert.Contains("LastCheckpointPath", e.Message);
    }

    [Fact]
    public void A_state_for_a_negative_batch_is_out_of_range()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Model.CreateState(-1));
        Assert.Equal("batchSize", e.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => Model.CreateState(0));
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(0.8f)]
    public void A_sampler_refuses_empty_logits(float temperature)
    {
        var e = Assert.Throws<ArgumentException>(() => new Sampler(temperature, seed: 1).Sample([]));
        Assert.Equal("logits", e.ParamName);
        Assert.Contains("no logits", e.Message);
    }
}
