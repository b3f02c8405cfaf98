namespace RnnGen.Tests.Training;

public class TokenBatchTests
{
    [Fact]
    public void Holds_row_major_inputs_and_targets()
    {
        var batch = new TokenBatch([1, 2, 3, 4, 5, 6], [2, 3, 4, 5, 6, 7], batchSize: 2, steps: 3);
        Assert.Equal(4, batch.Input(1, 0));
        Assert.Equal(7, batch.Target(1, 2));
        var (inputs, targets, batchSize, steps) = batch;
        Assert.Same(batch.Inputs, inputs);
        Assert.Same(batch.Targets, targets);
        Assert.Equal((2, 3), (batchSize, steps));
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Input(2, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => batch.Target(0, 3));
    }

    [Fact]
    public void Rejects_inconsistent_shapes_and_negative_ids()
    {
        Assert.Throws<ArgumentException>(() => new TokenBatch([1, 2, 3], [1, 2, 3, 4], 2, 2));
        var ex = Assert.Throws<ArgumentException>(() => new TokenBatch([1, 2, 3], [1, 2, 3, 4], 2, 2));
        Assert.Contains("needs 4", ex.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBatch([], [], 0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBatch([], [], 1, 0));
        Assert.Throws<ArgumentNullException>(() => new TokenBatch(null!, [1], 1, 1));
        ex = Assert.Throws<ArgumentException>(() => new TokenBatch([0, -3], [1, 2], 1, 2));
        Assert.Contains("inputs[1]", ex.Message);
    }
}

public class LanguageModelBatchesTests
{
    private static int[] Counting(int n) => Enumerable.Range(0, n).ToArray();

    [Fact]
    public void Rows_are_contiguous_stretches_read_in_windows_with_targets_one_ahead()
    {
        // 25 tokens, 2 rows: row length (25 - 1) / 2 = 12, windows of 5 steps: 2 per epoch (2 tokens per row dropped).
        var batches = new LanguageModelBatches(Counting(25), batchSize: 2, steps: 5);
        Assert.Equal(12, batches.RowLength);
        Assert.Equal(2, batches.WindowsPerEpoch);
        Assert.Equal(20, batches.TokensPerEpoch);

        var seen = new List<(int[] Inputs, int[] Targets, int Index, bool Continues)>();
        foreach (var window in batches)
            seen.Add(((int[])window.Batch.Inputs.Clone(), (int[])window.Batch.Targets.Clone(), window.Index, window.ContinuesPrevious));

        Assert.Equal(2, seen.Count);
        Assert.Equal([0, 1, 2, 3, 4, 12, 13, 14, 15, 16], seen[0].Inputs);
        Assert.Equal([1, 2, 3, 4, 5, 13, 14, 15, 16, 17], seen[0].Targets);
        Assert.Equal([5, 6, 7, 8, 9, 17, 18, 19, 20, 21], seen[1].Inputs);
        Assert.Equal([6, 7, 8, 9, 10, 18, 19, 20, 21, 22], seen[1].Targets);
        Assert.Equal((0, false), (seen[0].Index, seen[0].Continues));
        Assert.Equal((1, true), (seen[1].Index, seen[1].Continues));
    }

    [Fact]
    public void Each_row_of_a_continuing_window_starts_where_the_same_row_stopped()
    {
        var tokens = Counting(1000);
        var batches = new LanguageModelBatches(tokens, batchSize: 7, steps: 9);
        int[]? previousLastInputs = null;
        int count = 0;
        foreach (var (batch, index, continues) in batches)
        {
            Assert.Equal(count++, index);
            Assert.Equal(index > 0, continues);
            for (int b = 0; b < batch.BatchSize; b++)
            {
                for (int t = 0; t < batch.Steps; t++)
                    Assert.Equal(batch.Input(b, t) + 1, batch.Target(b, t)); // counting tokens: target = next token
                if (previousLastInputs is not null)
                    Assert.Equal(previousLastInputs[b] + 1, batch.Input(b, 0));
            }
            previousLastInputs = Enumerable.Range(0, batch.BatchSize).Select(b => batch.Input(b, batch.Steps - 1)).ToArray();
        }
        Assert.Equal(batches.WindowsPerEpoch, count);
        Assert.Equal((999 / 7) / 9, count);
    }

    [Fact]
    public void An_epoch_covers_each_kept_token_once_as_a_target()
    {
        var batches = new LanguageModelBatches(Counting(301), batchSize: 4, steps: 5);
        var targets = new List<int>();
        foreach (var window in batches) targets.AddRange(window.Batch.Targets);
        Assert.Equal(batches.TokensPerEpoch, targets.Count);
        Assert.Equal(targets.Count, targets.Distinct().Count());
    }

    [Fact]
    public void The_batch_object_is_reused_within_an_epoch_and_epochs_are_independent()
    {
        var batches = new LanguageModelBatches(Counting(100), batchSize: 2, steps: 4);
        var first = batches.GetEnumerator();
        Assert.True(first.MoveNext());
        TokenBatch batch = first.Current.Batch;
        Assert.True(first.MoveNext());
        Assert.Same(batch, first.Current.Batch);
        Assert.Equal(4, batch.Inputs[0]); // overwritten by the second window

        var second = batches.GetEnumerator();
        Assert.True(second.MoveNext());
        Assert.NotSame(batch, second.Current.Batch);
        Assert.Equal(0, second.Current.Batch.Inputs[0]);
        Assert.False(second.Current.ContinuesPrevious);

        while (first.MoveNext()) { }
        Assert.Throws<InvalidOperationException>(() => first.Current);
        first.Reset();
        Assert.True(first.MoveNext());
        Assert.Equal(0, first.Current.Index);
        Assert.False(first.Current.ContinuesPrevious);
    }

    [Fact]
    public void Too_few_tokens_or_negative_ids_are_rejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => new LanguageModelBatches(Counting(12), batchSize: 3, steps: 4));
        Assert.Contains("13", ex.Message);
        _ = new LanguageModelBatches(Counting(13), batchSize: 3, steps: 4);
        Assert.Throws<ArgumentException>(() => new LanguageModelBatches(Array.Empty<int>(), 1, 1));
        Assert.Throws<ArgumentException>(() => new LanguageModelBatches(new[] { 1, 2, -1, 4 }, 1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LanguageModelBatches(Counting(10), 0, 2));
    }

    [Fact]
    public void Split_keeps_the_last_fraction_for_validation_without_copying()
    {
        int[] tokens = Counting(1000);
        var (train, validation) = LanguageModelBatches.TrainValidationSplit(tokens, 0.05);
        Assert.Equal(950, train.Length);
        Assert.Equal(50, validation.Length);
        Assert.Equal(950, validation.Span[0]);
        Assert.Equal(949, train.Span[^1]);
        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(validation, out var segment));
        Assert.Same(tokens, segment.Array);

        var none = LanguageModelBatches.TrainValidationSplit(tokens, 0);
        Assert.Equal(1000, none.Train.Length);
        Assert.Equal(0, none.Validation.Length);
        Assert.Equal(3, LanguageModelBatches.TrainValidationSplit(Counting(10), 0.25).Validation.Length); // 2.5 rounds up
        Assert.Throws<ArgumentOutOfRangeException>(() => LanguageModelBatches.TrainValidationSplit(tokens, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => LanguageModelBatches.TrainValidationSplit(tokens, -0.1));
    }
}
