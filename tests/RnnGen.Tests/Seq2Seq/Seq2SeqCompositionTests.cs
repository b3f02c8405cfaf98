using RnnGen.Checkpoints;

namespace RnnGen.Tests.Seq2Seq;

/// <summary>
/// The module composition against the losses of the earlier hand-written network on the same parameters
/// (values set from each tensor's name, so that the layout and initialisation order do not matter), checkpoints
/// and dropout.
/// </summary>
public class Seq2SeqCompositionTests
{
    [Theory]
    [InlineData(AttentionKind.Dot, true, 1, 1, false, 7.932042643579795)]
    [InlineData(AttentionKind.General, true, 2, 2, true, 2.0123736776286916)]
    [InlineData(AttentionKind.Additive, false, 2, 1, false, 2.0195226084084568)]
    public void The_loss_is_the_hand_written_networks(AttentionKind attention, bool bidirectional, int encoderLayers, int decoderLayers, bool lstm, double expected)
    {
        var model = Seq2SeqTestModels.Create(attention, bidirectional, encoderLayers, decoderLayers, lstm, seed: 3);
        var network = model.ToDouble();
        foreach (var t in network.Tensors)
        {
            int h = 0;
            foreach (char c in t.Name) h = h * 31 + c;
            for (int i = 0; i < t.Length; i++) network.Values[t.Offset + i] = 0.5 * Math.Sin(h % 1000 + 0.7 * i);
        }
        var (sources, targets) = Seq2SeqTestModels.Sentences(7, rows: 3);
        Assert.Equal(expected, network.Loss(model.CreateBatch(sources, targets)), 1e-12);
    }

    [Fact]
    public void A_checkpoint_round_trips_with_its_configuration_and_vocabularies()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rnngen-s2s-{Guid.NewGuid():N}.safetensors");
        try
        {
            var model = new GeneralBiModel(Seq2SeqTestModels.SourceVocab, Seq2SeqTestModels.TargetVocab, seed: 1);
            var source = Vocabulary.Words("a b c");
            var target = Vocabulary.Words("x y");
            model.Save(path, source, target, new Dictionary<string, string> { ["note"] = "hi" });
            var loaded = new GeneralBiModel(Seq2SeqTestModels.SourceVocab, Seq2SeqTestModels.TargetVocab, seed: 2);
            var file = loaded.Load(path);
            Assert.Equal(model.Network.Values, loaded.Network.Values);
            Assert.Equal("hi", file.Metadata["note"]);
            Assert.Equal(source.ToJson(), file.Metadata[Seq2SeqModel.SourceVocabularyMetadataKey]);
            Assert.Equal(target.ToJson(), file.Metadata[Seq2SeqModel.TargetVocabularyMetadataKey]);
            var configuration = ModelConfiguration.FromJson(file.Metadata[ModelConfiguration.MetadataKey]);
            Assert.Equal("seq2seq", configuration.Kind);
            Assert.True(configuration.Bidirectional);
            Assert.Equal("General", configuration.Attention);
            Assert.Equal(Seq2SeqTestModels.TargetVocab, configuration.TargetVocabSize);
            Assert.Equal(4, configuration.TargetEmbeddingSize);
            Assert.Equal(13, Assert.Single(configuration.DecoderLayers!).Hidden);
            Assert.True(configuration.SameShapeAs(model.Configuration));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_checkpoint_of_a_different_model_is_rejected_naming_the_file()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rnngen-s2s-{Guid.NewGuid():N}.safetensors");
        try
        {
            new GeneralBiModel(Seq2SeqTestModels.SourceVocab, Seq2SeqTestModels.TargetVocab).Save(path);
            var other = new AdditiveModel(Seq2SeqTestModels.SourceVocab, Seq2SeqTestModels.TargetVocab);
            var e = Assert.Throws<CheckpointException>(() => other.Load(path));
            Assert.Contains(Path.GetFileName(path), e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Dropout_applies_only_in_training_and_its_masks_follow_the_seed()
    {
        int sv = Seq2SeqTestModels.SourceVocab, tv = Seq2SeqTestModels.TargetVocab;
        var (sources, targets) = Seq2SeqTestModels.Sentences(7, rows: 3);
        var a = new DropoutModel(sv, tv, seed: 5);
        var b = new DropoutModel(sv, tv, seed: 5);
        Assert.Equal(0.25f, a.Network.Encoder.Layers[0].Dropout);
        Assert.Equal(0.5f, Assert.Single(a.Network.Decoder.Layers).Dropout);
        var batch = a.CreateBatch(sources, targets);
        a.Training = false;
        float evaluation = a.Loss(batch);
        Assert.Equal(evaluation, a.Loss(batch));
        a.Training = true;
        float first = a.Loss(batch), second = a.Loss(batch);
        Assert.NotEqual(evaluation, first);
        Assert.NotEqual(first, second);
        Assert.Equal(first, b.Loss(batch));
        Assert.Equal(second, b.Loss(batch));
    }
}
