namespace RnnGen.Training;

/// <summary>Token sequences with one tag per token: what a sequence tagger trains on. Every id is a real token, 0 included.</summary>
public sealed class TaggedSequences : SequenceDataset<SequenceBatch>
{
    public TaggedSequences(IReadOnlyList<int[]> tokens, IReadOnlyList<int[]> tags) : base(LengthsOf(tokens, tags))
    {
        Tokens = tokens;
        Tags = tags;
    }

    public IReadOnlyList<int[]> Tokens { get; }
    public IReadOnlyList<int[]> Tags { get; }

    public override SequenceBatch Batch(IReadOnlyList<int> indices) =>
        new(indices.Select(i => Tokens[i]).ToArray(), tags: indices.Select(i => Tags[i]).ToArray());

    /// <summary>A shuffled <paramref name="fraction"/> held out for validation.</summary>
    public (TaggedSequences Train, TaggedSequences Validation) Split(double fraction, int seed = 0)
    {
        var (train, validation) = SplitIndices(Count, fraction, seed);
        TaggedSequences Take(int[] at) => new(at.Select(i => Tokens[i]).ToArray(), at.Select(i => Tags[i]).ToArray());
        return (Take(train), Take(validation));
    }

    private static int[] LengthsOf(IReadOnlyList<int[]> tokens, IReadOnlyList<int[]> tags)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(tags);
        if (tokens.Count != tags.Count) throw new ArgumentException($"{tokens.Count} sequences but {tags.Count} tag sequences.", nameof(tags));
        var lengths = new int[tokens.Count];
        for (int i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] is not { Length: > 0 } s) throw new ArgumentException($"Sequence {i} is empty; every sequence needs at least one token.", nameof(tokens));
            if (tags[i]?.Length != s.Length) throw new ArgumentException($"Sequence {i} has {s.Length} tokens but {tags[i]?.Length ?? 0} tags.", nameof(tags));
            lengths[i] = s.Length;
        }
        return lengths;
    }
}
