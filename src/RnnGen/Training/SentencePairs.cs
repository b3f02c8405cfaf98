namespace RnnGen.Training;

/// <summary>
/// Source and target sentences, pair by pair: what a sequence-to-sequence model trains on. Batches are bucketed
/// by source length (the encoder's padding is what costs; targets of similar sources are similar in length too).
/// </summary>
/// <remarks>
/// The pairs are kept raw: the special ids (&lt;bos&gt;, &lt;eos&gt;, padding) are the model's, so the trainer builds
/// each batch with <see cref="Batch(IReadOnlyList{int}, Seq2SeqModel)"/>. <see cref="Batch(IReadOnlyList{int})"/>
/// uses a <see cref="Vocabulary"/>'s defaults (pad 0, bos 2, eos 3).
/// </remarks>
public sealed class SentencePairs : SequenceDataset<Seq2SeqBatch>
{
    public SentencePairs(IReadOnlyList<int[]> sources, IReadOnlyList<int[]> targets) : base(LengthsOf(sources, targets))
    {
        Sources = sources;
        Targets = targets;
    }

    public IReadOnlyList<int[]> Sources { get; }
    public IReadOnlyList<int[]> Targets { get; }

    /// <summary>The pairs at <paramref name="indices"/> with the default special ids (pad 0, bos 2, eos 3).</summary>
    public override Seq2SeqBatch Batch(IReadOnlyList<int> indices) =>
        new(indices.Select(i => Sources[i]).ToArray(), indices.Select(i => Targets[i]).ToArray(), beginId: 2, endId: 3, paddingId: 0);

    /// <summary>The pairs at <paramref name="indices"/>, padded and marked with <paramref name="model"/>'s special ids.</summary>
    public Seq2SeqBatch Batch(IReadOnlyList<int> indices, Seq2SeqModel model) =>
        model.CreateBatch(indices.Select(i => Sources[i]).ToArray(), indices.Select(i => Targets[i]).ToArray());

    /// <summary>A shuffled <paramref name="fraction"/> held out for validation.</summary>
    public (SentencePairs Train, SentencePairs Validation) Split(double fraction, int seed = 0)
    {
        var (train, validation) = SplitIndices(Count, fraction, seed);
        SentencePairs Take(int[] at) => new(at.Select(i => Sources[i]).ToArray(), at.Select(i => Targets[i]).ToArray());
        return (Take(train), Take(validation));
    }

    private static int[] LengthsOf(IReadOnlyList<int[]> sources, IReadOnlyList<int[]> targets)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(targets);
        if (sources.Count != targets.Count) throw new ArgumentException($"{sources.Count} sources but {targets.Count} targets.", nameof(targets));
        var lengths = new int[sources.Count];
        for (int i = 0; i < sources.Count; i++)
        {
            if (sources[i] is not { Length: > 0 } s) throw new ArgumentException($"Source {i} is empty; every source needs at least one token.", nameof(sources));
            // An empty target is allowed: the model then learns to say <eos> at once.
            if (targets[i] is null) throw new ArgumentException($"Target {i} is null.", nameof(targets));
            lengths[i] = s.Length;
        }
        return lengths;
    }
}
