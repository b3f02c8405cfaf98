namespace RnnGen.Training;

/// <summary>
/// Sequences of different lengths read in batches of similar lengths (little padding): each epoch the
/// sequences are shuffled, sorted by length within windows of a few batches, cut into batches, and the
/// batches shuffled, all from the seed and the epoch number, so a resumed run sees the same batches.
/// </summary>
public abstract class SequenceDataset<TBatch>
{
    private const int BucketBatches = 8; // how many batches' worth of sequences are sorted by length together

    protected SequenceDataset(int[] lengths)
    {
        Lengths = lengths;
    }

    public int Count => Lengths.Length;
    /// <summary>The number of steps (tokens) of each sequence.</summary>
    protected int[] Lengths { get; }

    /// <summary>The batch of the sequences at <paramref name="indices"/>, in that order.</summary>
    public abstract TBatch Batch(IReadOnlyList<int> indices);

    /// <summary>The steps a batch holds, for throughput and token budgets.</summary>
    public long Steps(IReadOnlyList<int> indices) => indices.Sum(i => (long)Lengths[i]);

    /// <summary>One epoch's batches as index lists: shuffled and bucketed by length when <paramref name="shuffle"/>, in order otherwise.</summary>
    public IReadOnlyList<int[]> Epoch(int batchSize, int epoch, int seed, bool shuffle = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batchSize);
        var order = Enumerable.Range(0, Count).ToArray();
        var random = new Random(EpochSeed(seed, epoch));
        if (shuffle)
        {
            random.Shuffle(order);
            var keys = order.Select(i => Lengths[i]).ToArray(); // sorted along with the order, window by window
            for (int at = 0; at < order.Length; at += batchSize * BucketBatches)
                Array.Sort(keys, order, at, Math.Min(batchSize * BucketBatches, order.Length - at));
        }
        var batches = new List<int[]>();
        for (int at = 0; at < order.Length; at += batchSize)
            batches.Add(order.AsSpan(at, Math.Min(batchSize, order.Length - at)).ToArray());
        if (shuffle) random.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(batches));
        return batches;
    }

    /// <summary>
    /// The shuffle's seed for an epoch: the same in every process (HashCode.Combine is salted per process, which made
    /// the batches of two runs, or of two ranks of one data-parallel run, differ). SplitMix64's finaliser.
    /// </summary>
    internal static int EpochSeed(int seed, int epoch)
    {
        ulong z = unchecked((ulong)(uint)seed * 0x9E3779B97F4A7C15UL + (ulong)(uint)epoch * 0xD1B54A32D192ED03UL + 0x5EED);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (int)((z ^ (z >> 31)) & int.MaxValue);
    }

    /// <summary>The indices of a split: a shuffled <paramref name="fraction"/> held out for validation, the rest for training.</summary>
    protected static (int[] Train, int[] Validation) SplitIndices(int count, double fraction, int seed)
    {
        if (!(fraction > 0 && fraction < 1)) throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "The validation fraction must be between 0 and 1.");
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        int held = Math.Max(1, (int)Math.Round(count * fraction));
        return (order[held..], order[..held]);
    }
}
