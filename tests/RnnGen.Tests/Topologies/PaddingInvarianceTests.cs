namespace RnnGen.Tests.Topologies;

/// <summary>
/// Padding changes nothing: the same rows padded to more steps give the same loss and gradients, and a
/// batch of rows of different lengths gives what each row gives alone (double precision, to rounding).
/// </summary>
public class PaddingInvarianceTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void Extra_padding_changes_no_loss_or_gradient_of_a_bidirectional_classifier()
    {
        var network = new BiStackedLastClassifier(TopologyData.Vocab, seed: 1).ToDouble();
        var tokens = TopologyData.Tokens(21);
        var labels = TopologyData.Labels(22, 2);
        var (loss, gradients) = Run(network.Parameters, () => network.Step(new SequenceBatch(tokens, labels), Pass.Gradients, false));
        var (padded, paddedGradients) = Run(network.Parameters, () => network.Step(new SequenceBatch(tokens, labels, minSteps: 9), Pass.Gradients, false));
        AssertSame(loss, gradients, padded, paddedGradients);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)] // with Prev in both directions and the input read elementwise
    public void Extra_padding_changes_no_loss_or_gradient_of_a_bidirectional_tagger(bool prev)
    {
        var network = prev ? new BiPrevTagger(TopologyData.Vocab, seed: 2).ToDouble() : new BiLstmTagger(TopologyData.Vocab, seed: 2).ToDouble();
        var tokens = TopologyData.Tokens(23);
        var tags = TopologyData.Tags(24, 4);
        var (loss, gradients) = Run(network.Parameters, () => network.Step(new SequenceBatch(tokens, tags: tags), Pass.Gradients, false));
        var (padded, paddedGradients) = Run(network.Parameters, () => network.Step(new SequenceBatch(tokens, tags: tags, minSteps: 8), Pass.Gradients, false));
        AssertSame(loss, gradients, padded, paddedGradients);
    }

    [Fact]
    public void Extra_padding_changes_no_loss_or_gradient_of_a_bidirectional_tagger_of_linear_cells()
    {
        var network = new BiLinearTagger(TopologyData.Vocab, seed: 5).ToDouble();
        var tokens = TopologyData.Tokens(27);
        var tags = TopologyData.Tags(28, 3);
        var (loss, gradients) = Run(network.Parameters, () => network.Step(new SequenceBatch(tokens, tags: tags), Pass.Gradients, false));
        var (padded, paddedGradients) = Run(network.Parameters, () => network.Step(new SequenceBatch(tokens, tags: tags, minSteps: 8), Pass.Gradients, false));
        AssertSame(loss, gradients, padded, paddedGradients);
    }

    [Fact]
    public void Extra_padding_changes_no_loss_or_gradient_of_a_bidirectional_regressor()
    {
        var model = new BiRegressor(seed: 3);
        var network = model.ToDouble();
        var x = TopologyData.Series(25, 1);
        var y = TopologyData.Series(26, 2);
        var (loss, gradients) = Run(network.Parameters, () => network.Step(new RegressionBatch(x, 1, y, 2), Pass.Gradients, false));
        var (padded, paddedGradients) = Run(network.Parameters, () => network.Step(new RegressionBatch(x, 1, y, 2, minSteps: 11), Pass.Gradients, false));
        AssertSame(loss, gradients, padded, paddedGradients);
    }

    [Fact]
    public void A_row_batched_with_longer_rows_gives_what_it_gives_alone()
    {
        var network = new BiGruMeanClassifier(TopologyData.Vocab, seed: 4).ToDouble();
        var tokens = TopologyData.Tokens(27);
        var labels = TopologyData.Labels(28, 3);
        // The batch's loss is the mean over its rows: it must equal the mean of each row's loss on its own.
        double together = network.Step(new SequenceBatch(tokens, labels), Pass.Loss, false);
        double alone = tokens.Select((t, i) => (double)network.Step(new SequenceBatch([t], [labels[i]]), Pass.Loss, false)).Average();
        Assert.True(Math.Abs(together - alone) <= Tolerance, $"batched {together:R}, alone {alone:R}");
    }

    private static (double Loss, double[] Gradients) Run(ParameterStore<double> store, Func<double> step) => (step(), (double[])store.Gradients.Clone());

    private static void AssertSame(double loss, double[] gradients, double padded, double[] paddedGradients)
    {
        Assert.True(Math.Abs(loss - padded) <= Tolerance * Math.Abs(loss), $"loss {loss:R} vs padded {padded:R}");
        double scale = gradients.Max(Math.Abs);
        for (int i = 0; i < gradients.Length; i++)
            Assert.True(Math.Abs(gradients[i] - paddedGradients[i]) <= Tolerance * scale, $"gradient {i}: {gradients[i]:R} vs padded {paddedGradients[i]:R}");
    }
}
