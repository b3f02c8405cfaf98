using RnnGen.Checkpoints;

namespace RnnGen.Tests.Seq2Seq;

/// <summary>A small copy model: the target is the source, ids 4..8.</summary>
[Seq2Seq(SourceEmbedding = 8, TargetEmbedding = 8, Attention = AttentionKind.General)]
[Encoder(typeof(RnnGen.Cells.Gru), Hidden = 24)]
[Decoder(typeof(RnnGen.Cells.Gru), Hidden = 24)]
public partial class CopyModel;

/// <summary>Sentence pairs in batches, and the one Trainer on them: learning, checkpoints, the wrong data.</summary>
public class Seq2SeqTrainingTests
{
    private const int Vocab = 9;

    private static SentencePairs CopyPairs(int count, int seed)
    {
        var random = new Random(seed);
        var sources = Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, 1 + random.Next(4)).Select(_ => 4 + random.Next(Vocab - 4)).ToArray()).ToArray();
        return new SentencePairs(sources, sources.Select(s => s.ToArray()).ToArray());
    }

    [Fact]
    public void An_epoch_covers_every_pair_once_in_batches_of_similar_source_lengths()
    {
        var pairs = CopyPairs(200, seed: 1);
        var batches = pairs.Epoch(batchSize: 10, epoch: 1, seed: 3);
        Assert.Equal(Enumerable.Range(0, 200), batches.SelectMany(b => b).Order());
        Assert.All(batches, b => Assert.True(b.Length <= 10));
        // Sorted within windows of a few batches: a batch spans fewer source lengths than the whole set does.
        double spread = batches.Average(b => b.Max(i => pairs.Sources[i].Length) - b.Min(i => pairs.Sources[i].Length));
        Assert.True(spread < 1.5, $"mean spread of source lengths within a batch: {spread}");
        Assert.Equal(batches, pairs.Epoch(batchSize: 10, epoch: 1, seed: 3));
        Assert.NotEqual(batches, pairs.Epoch(batchSize: 10, epoch: 2, seed: 3));
    }

    [Fact]
    public void A_batch_holds_its_pairs_with_the_models_special_ids()
    {
        var pairs = new SentencePairs([[4, 5, 6], [7]], [[8], [5, 6]]);
        var model = new CopyModel(Vocab, Vocab) { BeginId = 1, EndId = 2, PaddingId = 3 };
        var batch = pairs.Batch([1, 0], model);
        Assert.Equal(2, batch.BatchSize);
        Assert.Equal([1, 3], batch.SourceLengths);
        Assert.Equal([7, 4, 3, 5, 3, 6], batch.SourceIds);          // time-major, padded with 3
        Assert.Equal([1, 1, 5, 8, 6, 3], batch.DecoderInputs);      // <bos> then the target
        Assert.Equal([5, 8, 6, 2, 2, Seq2SeqBatch.Ignore], batch.DecoderTargets); // the target then <eos>
        Assert.Equal(pairs.Batch([1, 0]).SourceIds.Length, batch.SourceIds.Length);
        Assert.Throws<ArgumentException>(() => new SentencePairs([[4]], [[4], [5]]));
        Assert.Throws<ArgumentException>(() => new SentencePairs([[]], [[4]]));
    }

    [Fact]
    public void Fit_on_a_copy_task_raises_validation_exact_match_and_its_checkpoint_loads_into_the_model()
    {
        var path = Path.Combine(Path.GetTempPath(), $"rnngen-s2s-fit-{Guid.NewGuid():N}.safetensors");
        try
        {
            var model = new CopyModel(Vocab, Vocab, seed: 1);
            var train = CopyPairs(400, seed: 2);
            var validation = CopyPairs(60, seed: 3);
            var history = new Trainer(model, new Adam(0.01f), new TrainingOptions
            {
                BatchSize = 16, Epochs = 12, ValidationsPerEpoch = 1, CheckpointPath = path, StopAtMetric = 1.0,
            }).Fit(train, validation);

            var first = history.Results[0];
            var best = history.Best!;
            Assert.Equal("exact match", first.MetricName);
            Assert.True(best.ValidationLoss < first.ValidationLoss, $"validation loss {first.ValidationLoss} → {best.ValidationLoss}");
            double finalMetric = history.Results[^1].Metric;
            Assert.True(finalMetric >= 0.5 && finalMetric > first.Metric, $"exact match {first.Metric:P0} → {finalMetric:P0} ({history.StopReason})");

            // The best checkpoint is the model's own file: it loads, and its greedy decoding copies like the training did.
            var loaded = new CopyModel(Vocab, Vocab, seed: 9);
            loaded.Load(path);
            loaded.Training = false;
            var batch = validation.Batch(Enumerable.Range(0, validation.Count).ToArray(), loaded);
            Assert.Equal(best.ValidationLoss, loaded.Loss(batch), 1e-4);
            int copied = Enumerable.Range(0, validation.Count).Count(i => loaded.Translate(validation.Sources[i], maxLength: 8).SequenceEqual(validation.Targets[i]));
            Assert.True(copied >= validation.Count / 3, $"{copied} of {validation.Count} copied");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Sentence_pairs_need_a_sequence_to_sequence_model()
    {
        var classifier = new RnnGen.Tests.Topologies.BiGruMeanClassifier(Vocab);
        var e = Assert.Throws<ArgumentException>(() => new Trainer(classifier, new Adam(0.01f)).Fit(CopyPairs(10, 1)));
        Assert.Contains("sentence pairs", e.Message);
    }
}
