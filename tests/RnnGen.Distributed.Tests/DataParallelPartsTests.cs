using RnnGen.Training.Tasks;

namespace RnnGen.Distributed.Tests;

/// <summary>The pieces of data-parallel training that need no second process.</summary>
public sealed class DataParallelPartsTests
{
    [Theory]
    [InlineData(32, 2)]
    [InlineData(17, 2)]
    [InlineData(7, 3)]
    [InlineData(1, 2)]
    [InlineData(5, 8)]
    public void The_ranks_shares_are_the_whole_batch_in_order(int rows, int ranks)
    {
        var shares = Enumerable.Range(0, ranks).Select(r => RowShare.Of(rows, r, ranks)).ToArray();
        Assert.Equal(0, shares[0].Start);
        for (int r = 1; r < ranks; r++) Assert.Equal(shares[r - 1].Start + shares[r - 1].Count, shares[r].Start);
        Assert.Equal(rows, shares.Sum(s => s.Count));
        Assert.True(shares.Max(s => s.Count) - shares.Min(s => s.Count) <= 1);
    }

    [Fact]
    public void Gradient_buckets_hold_whole_parameters_from_the_last_to_the_first_and_cover_the_buffer()
    {
        var model = new TestLanguageModel(Scenario.Vocab, seed: 1);
        var parameters = model.Parameters;
        int total = parameters.Sum(p => p.Length);
        var buckets = GradientAllReduce.Plan(parameters, bucketValues: 300);

        Assert.True(buckets.Length > 2);
        int end = total;
        var starts = parameters.Select(p => p.Offset).ToHashSet();
        foreach (var bucket in buckets)
        {
            var (offset, length) = bucket.GetOffsetAndLength(total);
            Assert.Equal(end, offset + length); // each bucket ends where the one before began: the last parameters go first
            Assert.Contains(offset, starts); // and starts on a parameter
            end = offset;
        }
        Assert.Equal(0, end);
        Assert.Equal(buckets, GradientAllReduce.Plan(parameters, bucketValues: 300)); // a fixed order
        Assert.Single(GradientAllReduce.Plan(parameters, bucketValues: total));
    }

    [Fact]
    public void A_missing_libmpi_says_what_to_install()
    {
        var e = Assert.Throws<MpiException>(() => MpiLibrary.Open(["libmpi-that-is-not-here.so.40"]));
        Assert.Contains("libmpi-that-is-not-here.so.40", e.Message);
        Assert.Contains("apt-get install openmpi-bin libopenmpi-dev", e.Message);
    }

    [Fact]
    public void A_global_batch_smaller_than_the_ranks_is_refused_naming_the_option()
    {
        var model = new TestLanguageModel(Scenario.Vocab, seed: 1);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            new Trainer(model, new Adam(), new TrainingOptions { BatchSize = 3, Communicator = new Ranks(0, 4) }));
        Assert.Equal("BatchSize", e.ParamName);
        Assert.Contains("4 ranks", e.Message);
    }

    /// <summary>A world that is never talked to: the options check reads only its rank and size.</summary>
    private sealed class Ranks(int rank, int size) : ICommunicator
    {
        public int Rank => rank;
        public int Size => size;
        public void Broadcast(Span<float> values, int root) => throw new NotSupportedException();
        public void Broadcast(Span<double> values, int root) => throw new NotSupportedException();
        public void AllReduceSum(Span<double> values) => throw new NotSupportedException();
        public void AllReduceSum(float[] values, ReadOnlySpan<Range> buckets) => throw new NotSupportedException();
        public void Barrier() => throw new NotSupportedException();
    }
}
