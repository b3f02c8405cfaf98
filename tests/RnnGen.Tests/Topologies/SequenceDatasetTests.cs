namespace RnnGen.Tests.Topologies;

/// <summary>Batching of sequence data sets: every sequence once per epoch, similar lengths together, the same seed the same batches.</summary>
public class SequenceDatasetTests
{
    private static LabeledSequences Data(int count)
    {
        var random = new Random(1);
        var tokens = Enumerable.Range(0, count).Select(_ => new int[random.Next(1, 40)]).ToArray();
        return new LabeledSequences(tokens, tokens.Select(_ => 0).ToArray());
    }

    [Fact]
    public void Every_sequence_is_in_exactly_one_batch_of_an_epoch()
    {
        var data = Data(203);
        var batches = data.Epoch(16, epoch: 1, seed: 3);
        Assert.Equal(13, batches.Count);
        Assert.Equal(Enumerable.Range(0, 203), batches.SelectMany(b => b).Order());
    }

    [Fact]
    public void Bucketing_keeps_padding_far_below_random_batching()
    {
        var data = Data(640);
        static long Padded(LabeledSequences d, IEnumerable<int[]> batches) =>
            batches.Sum(b => (long)b.Length * b.Max(i => d.Tokens[i].Length) - b.Sum(i => d.Tokens[i].Length));
        long bucketed = Padded(data, data.Epoch(32, 1, 0));
        long random = Padded(data, data.Epoch(32, 1, 0, shuffle: false)); // the order of a random list: no bucketing
        Assert.True(bucketed * 3 < random, $"padding {bucketed} bucketed vs {random} in arrival order");
    }

    [Fact]
    public void The_same_seed_and_epoch_give_the_same_batches_and_other_epochs_differ()
    {
        var data = Data(100);
        Assert.Equal(data.Epoch(8, 2, 5), data.Epoch(8, 2, 5));
        Assert.NotEqual(data.Epoch(8, 2, 5).SelectMany(b => b), data.Epoch(8, 3, 5).SelectMany(b => b));
    }

    [Fact]
    public void Padding_needs_no_reserved_id_and_bad_input_names_the_sequence()
    {
        var batch = new SequenceBatch([[0, 0, 0], [0]], [1, 0]);
        Assert.Equal([3, 1], batch.Lengths);
        Assert.Equal(6, batch.Tokens.Length);
        var e = Assert.Throws<ArgumentException>(() => new TaggedSequences([[1, 2], [3]], [[0, 1], [0, 1]]));
        Assert.Contains("Sequence 1 has 1 tokens but 2 tags", e.Message);
        var empty = Assert.Throws<ArgumentException>(() => new LabeledSequences([[1], []], [0, 1]));
        Assert.Contains("Sequence 1 is empty", empty.Message);
    }
}
