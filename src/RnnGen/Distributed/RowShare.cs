namespace RnnGen.Distributed;

/// <summary>
/// The rows of a global batch that one rank trains: a contiguous block, the blocks of ranks 0..N-1 in order, sizes
/// differing by at most one. Together they are exactly the rows one process with the whole batch would train.
/// </summary>
internal readonly record struct RowShare(int Start, int Count)
{
    public static RowShare Of(int rows, int rank, int size)
    {
        int start = (int)((long)rows * rank / size), end = (int)((long)rows * (rank + 1) / size);
        return new RowShare(start, end - start);
    }

    /// <summary>The whole batch, for a single process.</summary>
    public static RowShare All(int rows) => new(0, rows);
}
