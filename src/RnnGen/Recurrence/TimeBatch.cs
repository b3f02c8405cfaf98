namespace RnnGen.Recurrence;

/// <summary>
/// How a linear plan's passes over every step at once (steps x batch rows) are cut: into blocks fixed by the number
/// of rows alone, each summing its own bias gradients, and shared between threads as runs of whole blocks, so the
/// order of every sum, and with it every bit, is the same on any number of threads.
/// </summary>
internal static class TimeBatch
{
    /// <summary>The fewest rows of a block: a block's bias sums cost a [hidden] row to add, worth it only over many rows.</summary>
    private const int MinBlockRows = 64;

    /// <summary>The most blocks: enough for the threads of a large machine, few enough that their sums stay small.</summary>
    private const int MaxBlocks = 64;

    /// <summary>Rows x hidden units worth handing to another thread.</summary>
    private const long MinPartWork = 1 << 14;

    public static int Blocks(int rows) => Math.Clamp(rows / MinBlockRows, 1, MaxBlocks);

    /// <summary>The parts of a pass over <paramref name="rows"/> rows of <paramref name="hidden"/> units: up to one per thread.</summary>
    public static int Parts(int rows, int hidden) =>
        (int)Math.Min(Math.Min(Parallelism.MaxThreads, Blocks(rows)), Math.Max(1, (long)rows * hidden / MinPartWork));
}
