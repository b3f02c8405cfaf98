using RnnGen.Kernels;

namespace RnnGen.Tests.Cells;

/// <summary>
/// How a batch is cut into blocks and parts. That the results are the same bits on any number of threads
/// is <see cref="Determinism.ThreadCountTests"/>; this collection runs alone, since both change how many
/// threads RnnGen may use.
/// </summary>
[Collection(nameof(RowSplitTests))]
public class RowSplitTests
{
    [CollectionDefinition(nameof(RowSplitTests), DisableParallelization = true)]
    public class Sequential;

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(32)]
    [InlineData(43)]
    [InlineData(1000)]
    public void Blocks_cover_the_batch_in_order_each_with_more_rows_than_the_few_row_kernels_take(int batch)
    {
        int blocks = RowSplit.Blocks(batch);
        Assert.Equal(0, RowSplit.BlockStart(0, batch));
        Assert.Equal(batch, RowSplit.BlockStart(blocks, batch));
        for (int block = 0; block < blocks; block++)
        {
            int first = RowSplit.BlockStart(block, batch), end = RowSplit.BlockStart(block + 1, batch);
            Assert.True(end - first >= (batch > GemmSmall.MaxRows ? GemmSmall.MaxRows + 1 : batch), $"block {block} of {blocks}: rows [{first}, {end})");
            for (int row = first; row < end; row++)
                Assert.Equal(block, RowSplit.BlockOf(row, batch));
        }
    }

    [Theory]
    [InlineData(10, 2)]
    [InlineData(43, 3)]
    [InlineData(43, 8)]
    [InlineData(64, 5)]
    public void Parts_are_runs_of_whole_blocks_that_cover_the_batch(int batch, int parts)
    {
        int end = 0;
        for (int part = 0; part < parts; part++)
        {
            var (first, last) = RowSplit.Rows(part, parts, batch);
            Assert.Equal(end, first);
            Assert.Equal(first, RowSplit.BlockStart(RowSplit.BlockOf(Math.Min(first, batch - 1), batch), batch));
            end = last;
        }
        Assert.Equal(batch, end);
    }

    [Fact]
    public void A_recurrence_is_split_into_up_to_one_part_per_thread_and_one_thread_splits_nothing()
    {
        int threads = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 8;
            Assert.Equal(8, RowSplit.Parts(64, 1e3));
            Assert.Equal(RowSplit.Blocks(12), RowSplit.Parts(12, 1e3));
            Assert.Equal(1, RowSplit.Parts(64, Gemm.ParallelMinFlops));
            Assert.Equal(1, RowSplit.Parts(4, 1e3));
            Assert.Equal(1, RowSplit.PassParts(64, 8)); // too little work per step to hand any of it over
            Assert.Equal(8, RowSplit.PassParts(64, 512));
            Parallelism.MaxThreads = 1;
            Assert.Equal(1, RowSplit.Parts(64, 1e3));
            Assert.Equal(1, RowSplit.PassParts(64, 512));
            Assert.False(RowSplit.PassesInParallel(64, 512));
        }
        finally
        {
            Parallelism.MaxThreads = threads;
        }
    }
}
