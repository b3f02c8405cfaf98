namespace RnnGen.Tests.Topologies;

/// <summary>
/// Whole models of every new topology in double precision against central differences (≤ 1e-6 relative per
/// tensor): one- and two-way stacks, every pooling, stacked and custom cells, rows of different lengths.
/// </summary>
public class TopologyGradientCheckTests
{
    [Theory]
    [InlineData("BiGruMean")]
    [InlineData("BiStackedLast")]
    [InlineData("MaxPool")]
    public void Classifier_gradients_match_central_differences(string name)
    {
        SequenceClassifier model = name switch
        {
            "BiGruMean" => new BiGruMeanClassifier(TopologyData.Vocab, seed: 1),
            "BiStackedLast" => new BiStackedLastClassifier(TopologyData.Vocab, seed: 2),
            _ => new MaxPoolClassifier(TopologyData.Vocab, seed: 3),
        };
        var network = model.ToDouble();
        var batch = new SequenceBatch(TopologyData.Tokens(11), TopologyData.Labels(12, model.Classes));
        // Dropout off (training: false) so that the loss is a function of the parameters alone.
        NetworkGradientCheck.Verify(network.Parameters, () => network.Step(batch, Pass.Gradients, training: false), () => network.Step(batch, Pass.Loss, training: false));
    }

    [Theory]
    [InlineData("BiLstm")]
    [InlineData("Rnn")]
    [InlineData("BiLinear")]
    [InlineData("BiPrev")]
    public void Tagger_gradients_match_central_differences(string name)
    {
        SequenceTagger model = name switch
        {
            "BiLstm" => new BiLstmTagger(TopologyData.Vocab, seed: 4),
            "Rnn" => new RnnTagger(TopologyData.Vocab, seed: 5),
            "BiLinear" => new BiLinearTagger(TopologyData.Vocab, seed: 8),
            _ => new BiPrevTagger(TopologyData.Vocab, seed: 8),
        };
        var network = model.ToDouble();
        var batch = new SequenceBatch(TopologyData.Tokens(13), tags: TopologyData.Tags(14, model.Tags));
        NetworkGradientCheck.Verify(network.Parameters, () => network.Step(batch, Pass.Gradients, false), () => network.Step(batch, Pass.Loss, false));
    }

    [Theory]
    [InlineData("Gru")]
    [InlineData("Bi")]
    public void Regressor_gradients_match_central_differences(string name)
    {
        SequenceRegressor model = name == "Gru" ? new GruRegressor(seed: 6) : new BiRegressor(seed: 7);
        var network = model.ToDouble();
        var batch = model.CreateBatch(TopologyData.Series(15, model.Inputs), TopologyData.Series(16, model.Outputs));
        NetworkGradientCheck.Verify(network.Parameters, () => network.Step(batch, Pass.Gradients, false), () => network.Step(batch, Pass.Loss, false));
    }

    [Fact]
    public void Language_model_gradients_match_central_differences_in_double()
    {
        var model = new RnnGen.Tests.Models.TorchGru2(TopologyData.Vocab);
        var network = model.ToDouble();
        var random = new Random(17);
        var batch = new TokenBatch(Enumerable.Range(0, 12).Select(_ => random.Next(TopologyData.Vocab)).ToArray(),
            Enumerable.Range(0, 12).Select(_ => random.Next(TopologyData.Vocab)).ToArray(), 3, 4);
        NetworkGradientCheck.Verify(network.Parameters, () => network.Step(batch, null, Pass.Gradients, false), () => network.Step(batch, null, Pass.Loss, false));
    }
}
