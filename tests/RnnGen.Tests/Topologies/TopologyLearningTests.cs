using Xunit.Abstractions;
using RnnGen.Datasets.Synthetic;

namespace RnnGen.Tests.Topologies;

/// <summary>
/// Small models of each new topology learn generated tasks that need memory, to a stated figure that a model
/// without recurrence cannot reach (each baseline is measured on the same data by RnnGen.Datasets).
/// </summary>
public class TopologyLearningTests(ITestOutputHelper output)
{
    [Fact]
    public void A_classifier_learns_whether_brackets_of_two_kinds_are_balanced()
    {
        // Negatives are balanced strings with two brackets exchanged: every character count is that of a
        // positive, so a bag of characters scores about 50%.
        var (tokens, labels) = BracketTasks.Balanced(3000, 10, 20, seed: 1);
        var (train, validation) = new LabeledSequences(tokens, labels).Split(0.2, seed: 2);
        double baseline = BracketTasks.BagOfCharactersBaseline(validation.Tokens, validation.Labels);
        Assert.InRange(baseline, 0.4, 0.6);

        var model = new BracketClassifier(BracketTasks.VocabularySize, seed: 3);
        var history = new Trainer(model, new Adam(1e-2f), new TrainingOptions { BatchSize = 32, Epochs = 12, Seed = 4 }).Fit(train, validation);
        output.WriteLine($"balanced brackets: validation accuracy {history.Best!.Metric:P2}, bag of characters {baseline:P2}");
        Assert.True(history.Best!.Metric >= 0.9, $"validation accuracy {history.Best.Metric:P1} (bag of characters {baseline:P1})");
    }

    [Fact]
    public void A_tagger_learns_the_nesting_depth_of_every_bracket()
    {
        var (tokens, tags) = BracketTasks.Depth(1500, 10, 30, seed: 5);
        var (train, validation) = new TaggedSequences(tokens, tags).Split(0.2, seed: 6);
        double baseline = BracketTasks.CurrentTokenBaseline(validation.Tokens, validation.Tags);
        Assert.InRange(baseline, 0.25, 0.45);

        var model = new DepthTagger(BracketTasks.VocabularySize, seed: 7);
        var history = new Trainer(model, new Adam(1e-2f), new TrainingOptions { BatchSize = 32, Epochs = 10, Seed = 8 }).Fit(train, validation);
        output.WriteLine($"bracket depth: validation token accuracy {history.Best!.Metric:P2}, current token only {baseline:P2}");
        Assert.True(history.Best!.Metric >= 0.95, $"validation token accuracy {history.Best.Metric:P1} (current token only {baseline:P1})");
    }

    [Fact]
    public void A_regressor_forecasts_a_noisy_sum_of_two_sines_better_than_any_one_step_rule()
    {
        var (inputs, targets) = SineTasks.NoisySum(1500, 50, seed: 9);
        var (train, validation) = new RegressionSequences(inputs, targets).Split(0.2, seed: 10);
        var (ar1, _, _) = SineTasks.LinearBaseline(validation.Inputs, validation.Targets);

        var model = new SineForecaster(seed: 11);
        new Trainer(model, new Adam(1e-2f), new TrainingOptions { BatchSize = 32, Epochs = 30, Seed = 12 }).Fit(train, validation);
        double rmse = SineTasks.Rmse(model.Predict(validation.Inputs), validation.Targets);
        output.WriteLine($"noisy sines: forecast RMSE {rmse:F4}, best AR(1) {ar1:F4}, naive {SineTasks.NaiveBaseline(validation.Inputs, validation.Targets):F4}");
        Assert.True(rmse < 0.75 * ar1, $"forecast RMSE {rmse:F4}; the best AR(1) rule reaches {ar1:F4}");
    }
}

[SequenceClassifier(Embedding = 8, Classes = 2, Pooling = Pooling.Last)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 48)]
public partial class BracketClassifier;

[SequenceTagger(Embedding = 8, Tags = 6)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 32)]
public partial class DepthTagger;

[SequenceRegressor(Inputs = 1, Outputs = 1)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 32)]
public partial class SineForecaster;
