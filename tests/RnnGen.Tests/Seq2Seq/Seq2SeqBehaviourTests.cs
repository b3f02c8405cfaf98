namespace RnnGen.Tests.Seq2Seq;

/// <summary>Masks, batching order, decoding and the generated topology.</summary>
public class Seq2SeqBehaviourTests
{
    public static TheoryData<AttentionKind, bool> Kinds() => new()
    {
        { AttentionKind.Dot, true }, { AttentionKind.General, false }, { AttentionKind.General, true }, { AttentionKind.Additive, true },
    };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Extra_padding_changes_neither_the_loss_nor_any_gradient(AttentionKind attention, bool bidirectional)
    {
        var model = Seq2SeqTestModels.Create(attention, bidirectional, encoderLayers: 2, seed: 1);
        var network = model.ToDouble();
        var (sources, targets) = Seq2SeqTestModels.Sentences(11, rows: 4);
        double tight = network.ForwardBackward(model.CreateBatch(sources, targets));
        var gradients = (double[])network.Gradients.Clone();
        // Padding with a real token id rather than <pad>: whatever fills the padding must not matter.
        var padded = new Seq2SeqBatch(sources, targets, model.BeginId, model.EndId, paddingId: 5, minSourceSteps: 9, minTargetSteps: 8);
        double loose = network.ForwardBackward(padded);
        Assert.Equal(tight, loose, 1e-12);
        for (int i = 0; i < gradients.Length; i++)
            Assert.True(Math.Abs(gradients[i] - network.Gradients[i]) <= 1e-12 * Math.Max(1, Math.Abs(gradients[i])), $"gradient {i}: {gradients[i]} vs {network.Gradients[i]}");
    }

    [Fact]
    public void A_batch_gives_each_row_the_loss_it_has_alone()
    {
        var model = Seq2SeqTestModels.Create(AttentionKind.Additive, true, seed: 2);
        var network = model.ToDouble();
        var (sources, targets) = Seq2SeqTestModels.Sentences(12, rows: 5);
        double weighted = 0;
        int tokens = 0;
        for (int b = 0; b < sources.Length; b++)
        {
            double alone = network.Loss(model.CreateBatch([sources[b]], [targets[b]]));
            weighted += alone * (targets[b].Length + 1);
            tokens += targets[b].Length + 1;
        }
        // Any order: reversed rows give the same mean.
        double together = network.Loss(model.CreateBatch(sources.Reverse().ToArray(), targets.Reverse().ToArray()));
        Assert.Equal(weighted / tokens, together, 1e-12);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Beam_search_of_width_one_is_greedy_decoding(AttentionKind attention, bool bidirectional)
    {
        var model = Seq2SeqTestModels.Create(attention, bidirectional, seed: 6);
        // An untrained model ends at once; make <eos> unlikely enough that translations have a few tokens.
        model.Parameters.Single(p => p.Name == "output.bias").Value[model.EndId] = -1.5f;
        var random = new Random(3);
        for (int n = 0; n < 20; n++)
        {
            var source = Enumerable.Range(0, 1 + random.Next(6)).Select(_ => 4 + random.Next(5)).ToArray();
            var greedy = model.Translate(source, maxLength: 12);
            var beam = model.TranslateBeam(source, beamWidth: 1, maxLength: 12);
            Assert.Equal(greedy, beam);
        }
    }

    [Fact]
    public void A_wider_beam_never_finds_a_less_likely_translation_under_its_own_score()
    {
        var model = Seq2SeqTestModels.Create(AttentionKind.General, true, seed: 8);
        var source = new[] { 4, 5, 6, 7 };
        var beam = model.TranslateBeam(source, beamWidth: 4, maxLength: 10);
        Assert.All(beam, id => Assert.InRange(id, 0, Seq2SeqTestModels.TargetVocab - 1));
        Assert.DoesNotContain(model.EndId, beam);
    }

    [Fact]
    public void Generated_models_have_the_declared_topology_and_pytorch_style_names()
    {
        var model = new DotStackedModel(9, 7);
        Assert.True(model.Network.Bidirectional);
        Assert.Equal(AttentionKind.Dot, model.Attention);
        Assert.Equal(22, model.Network.Encoder.OutputSize);
        Assert.Equal(22, model.Network.Decoder.OutputSize);
        Assert.Equal(22, DotStackedModel.Network<float>.MemorySize);
        Assert.Equal(22, DotStackedModel.Network<float>.DecoderSize);
        var names = model.Parameters.Select(p => p.Name).ToList();
        Assert.Contains("encoder.weight_ih_l1_reverse", names);
        Assert.Contains("decoder.weight_hh_l0", names);
        Assert.Contains("bridge.weight_l0", names);
        Assert.Equal([22, 44], model.Parameters.Single(p => p.Name == "combine.weight").Shape);
        // Layer 1 reads both directions of layer 0: GRU gates r, z, n stacked over an input of 2 x 11.
        Assert.Equal([33, 22], model.Parameters.Single(p => p.Name == "encoder.weight_ih_l1").Shape);
        var additive = new AdditiveModel(9, 7);
        Assert.Contains("attention.v", additive.Parameters.Select(p => p.Name));
        Assert.False(additive.Network.Bidirectional);
    }
}
