using System.ComponentModel;

namespace RnnGen.Kernels;

/// <summary>
/// How a <see cref="LinearScan{T}"/> shares its work. Wide scans split by columns: each part runs the whole
/// time loop over its columns, the same operations in the same order as one thread, so any split gives the
/// same bits. Narrow, long scans (batch 1 on long sequences) split time into <see cref="Chunks"/>: each chunk
/// is first reduced to its composed carry (A, B), the carries are chained, then every chunk is scanned from
/// its true start. That changes the rounding against one sequential scan, so the chunks are fixed by the
/// shape alone, never by the thread count, and a part is a run of whole chunks.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class LinearScanPlan
{
    /// <summary>The fewest steps of a chunk: the chained carries and the extra reduction pass repay only over this many.</summary>
    public const int MinChunkSteps = 64;

    /// <summary>The most chunks: enough for the threads of a large machine, few enough that the carry chain stays negligible.</summary>
    public const int MaxChunks = 16;

    /// <summary>
    /// Widths below this scan in chunks of time (when long enough): split by columns over eight threads they would
    /// leave each part under 256 columns, a kilobyte of floats per step. Batch 1 at hidden 512 is such a width.
    /// </summary>
    public const int ChunkBelowWidth = 2048;

    /// <summary>Column parts start on multiples of this many elements (a cache line of floats), so no two threads write one line.</summary>
    public const int ColumnGrain = 16;

    /// <summary>Elements (steps x columns) of a part worth handing to another thread.</summary>
    private const long MinPartElements = 1 << 15;

    /// <summary>The chunks of time of a scan over <paramref name="steps"/> x <paramref name="width"/>; 1 means a plain
    /// sequential scan (split by columns), as for scans too small to be worth two threads. Depends on the shape alone.</summary>
    public static int Chunks(int steps, int width) =>
        width >= ChunkBelowWidth || (long)steps * width < 2 * MinPartElements ? 1 : Math.Clamp(steps / MinChunkSteps, 1, MaxChunks);

    /// <summary>The first step of chunk <paramref name="chunk"/> (or <paramref name="steps"/> for the chunk past the last).</summary>
    public static int ChunkStart(int chunk, int chunks, int steps) => (int)((long)steps * chunk / chunks);

    /// <summary>The parts of a scan: up to one per thread, each a run of whole chunks, or of whole column grains
    /// with enough elements to repay the hand-off.</summary>
    public static int Parts(int steps, int width)
    {
        int chunks = Chunks(steps, width);
        long byWork = Math.Max(1, (long)steps * width / MinPartElements);
        int most = chunks > 1 ? chunks : (width + ColumnGrain - 1) / ColumnGrain;
        return (int)Math.Min(Math.Min(Parallelism.MaxThreads, most), byWork);
    }

    /// <summary>Chunks [first, end) of part <paramref name="part"/> of <paramref name="parts"/>.</summary>
    public static (int First, int End) ChunkRun(int part, int parts, int chunks) =>
        (chunks * part / parts, chunks * (part + 1) / parts);

    /// <summary>Columns [first, end) of part <paramref name="part"/> of <paramref name="parts"/>: whole grains, the last ending at the width.</summary>
    public static (int First, int End) Columns(int part, int parts, int width)
    {
        int grains = (width + ColumnGrain - 1) / ColumnGrain;
        int first = (int)((long)grains * part / parts) * ColumnGrain;
        int end = (int)((long)grains * (part + 1) / parts) * ColumnGrain;
        return (Math.Min(first, width), Math.Min(end, width));
    }
}
