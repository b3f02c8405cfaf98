using RnnGen.Tests.Models;

namespace RnnGen.Tests.Training;

/// <summary>No silent absurd values: an absurd loss is divergence, and no checkpoint is written from a broken state.</summary>
public class TrainerDivergenceTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("rnngen-diverge-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static int[] Tokens(out Vocabulary vocab)
    {
        string text = BracketLanguage.Generate(600, seed: 3);
        vocab = Vocabulary.Characters(text);
        return vocab.Encode(text);
    }

    /// <summary>Plain SGD that, at one step, writes <paramref name="value"/> into output.bias[0], as an overflow might.</summary>
    private sealed class SabotagedSgd(float learningRate, long atStep, float value) : Optimizer(learningRate)
    {
        protected override IReadOnlyList<string> SlotNames => [];

        protected override void Update(Parameter parameter, float[][] slots, bool firstStep, long step)
        {
            var v = parameter.Value;
            var g = parameter.Gradient;
            for (int i = 0; i < v.Length; i++) v[i] -= LearningRate * g[i];
            if (step == atStep && parameter.Name == "output.bias") v[0] = value;
        }
    }

    private static void AssertFinite(string path)
    {
        var file = SafeTensors.Read(path);
        foreach (var name in file.Names)
            Assert.True(file[name].Data.All(float.IsFinite), $"{path}: {name} is not finite");
    }

    [Fact]
    public void The_divergence_ceiling_is_far_above_a_uniform_prediction()
    {
        Assert.Equal(3 * Math.Log(65) + 10, Trainer.DivergenceCeiling(65), 4);
        Assert.True(Trainer.DivergenceCeiling(2) > 10);
    }

    [Fact]
    public void A_finite_but_absurd_loss_is_divergence_naming_the_step_and_the_last_good_checkpoint()
    {
        var tokens = Tokens(out var vocab);
        string best = Path.Combine(_dir, "best.safetensors"), last = Path.Combine(_dir, "last.safetensors");
        var model = new BracketModel(vocab.Count, seed: 1);
        // Fine for 15 steps (validating and checkpointing along the way), then a logit 10,000 too high: finite, absurd.
        var options = new TrainingOptions { BatchSize = 4, Steps = 16, Epochs = 3, ValidationsPerEpoch = 8, CheckpointPath = best, LastCheckpointPath = last };
        var e = Assert.Throws<TrainingDivergedException>(() => new Trainer(model, new SabotagedSgd(0.5f, 15, 1e4f), options).Fit(tokens, 0.1));

        Assert.Equal(16, e.Step);
        Assert.True(float.IsFinite(e.Loss) && e.Loss > Trainer.DivergenceCeiling(vocab.Count), $"loss {e.Loss}");
        Assert.Contains("step 16", e.Message);
        Assert.Contains("3 ln V + 10", e.Message);
        Assert.Equal(best, e.LastGoodCheckpoint);
        Assert.Contains(best, e.Message);
        foreach (var path in new[] { best, last })
        {
            AssertFinite(path);
            Assert.True(SafeTensors.Read(path)["output.bias"].Data[0] < 100, $"{path} holds the absurd state");
            Assert.True(TrainerCheckpoint.Read(SafeTensors.Read(path)).BestLoss < Trainer.DivergenceCeiling(vocab.Count));
        }
    }

    [Fact]
    public void An_absurd_validation_loss_is_divergence_before_any_checkpoint_is_written()
    {
        var tokens = Tokens(out var vocab);
        string best = Path.Combine(_dir, "best.safetensors"), last = Path.Combine(_dir, "last.safetensors");
        var model = new BracketModel(vocab.Count, seed: 1);
        int windows = new LanguageModelBatches(LanguageModelBatches.TrainValidationSplit(tokens, 0.1).Train, 4, 16).WindowsPerEpoch;
        // Validating after every window: the one right after the sabotage (step 12, past the grace steps) sees it first.
        var options = new TrainingOptions { BatchSize = 4, Steps = 16, Epochs = 1, ValidationsPerEpoch = windows, CheckpointPath = best, LastCheckpointPath = last };
        var e = Assert.Throws<TrainingDivergedException>(() => new Trainer(model, new SabotagedSgd(0.5f, 12, 1e4f), options).Fit(tokens, 0.1));
        Assert.Equal(12, e.Step);
        Assert.Contains("validation loss", e.Message);
        var saved = TrainerCheckpoint.Read(SafeTensors.Read(last));
        Assert.Equal(11, saved.Window);
        AssertFinite(last);
    }

    [Fact]
    public void A_non_finite_parameter_never_reaches_the_last_checkpoint()
    {
        var tokens = Tokens(out var vocab);
        string last = Path.Combine(_dir, "last.safetensors");
        var model = new BracketModel(vocab.Count, seed: 1);
        var split = LanguageModelBatches.TrainValidationSplit(tokens, 0.1);
        int windows = new LanguageModelBatches(split.Train, 4, 16).WindowsPerEpoch;
        // No validation data: nothing would notice the NaN but the writer of the last checkpoint (after every window).
        var options = new TrainingOptions { BatchSize = 4, Steps = 16, Epochs = 1, ValidationsPerEpoch = windows, LastCheckpointPath = last };
        var e = Assert.Throws<TrainingDivergedException>(() =>
            new Trainer(model, new SabotagedSgd(0.1f, 3, float.NaN), options).Fit(split.Train, ReadOnlyMemory<int>.Empty));
        Assert.Equal(3, e.Step);
        Assert.Contains("output.bias", e.Message);
        Assert.Equal(last, e.LastGoodCheckpoint);
        AssertFinite(last);
        Assert.Equal(2, TrainerCheckpoint.Read(SafeTensors.Read(last)).Window);
    }
}
