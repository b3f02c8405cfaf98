namespace RnnGen.Training;

/// <summary>Token sequences with one class each: what a sequence classifier trains on. Every id is a real token, 0 included.</summary>
public sealed class LabeledSequences : SequenceDataset<SequenceBatch>
{
    public LabeledSequences(IReadOnlyList<int[]> tokens, IReadOnlyList<int> labels) : base(LengthsOf(tokens, labels))
    {
        Tokens = tokens;
        Labels = labels;
    }

    public IReadOnlyList<int[]> Tokens { get; }
    public IReadOnlyList<int> Labels { get; }

    public override SequenceBatch Batch(IReadOnlyList<int> indices) =>
        new(indices.Select(i => Tokens[i]).ToArray(), indices.Select(i => Labels[i]).ToArray());

    /// <summary>A shuffled <paramref name="fraction"/> held out for validation.</summary>
    public (LabeledSequences Train, LabeledSequences Validation) Split(double fraction, int seed = 0)
    {
        var (train, validation) = SplitIndices(Count, fraction, seed);
        LabeledSequences Take(int[] at) => new(at.Select(i => Tokens[i]).ToArray(), at.Select(i => Labels[i]).ToArray());
        return (Take(train), Take(validation));
    }

    private static int[] LengthsOf(IReadOnlyList<int[]> tokens, IReadOnlyList<int> labels)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(labels);
        if (tokens.Count != labels.Count) throw new ArgumentException($"{tokens.Count} sequences but {labels.Count} labels.", nameof(labels));
        var lengths = new int[tokens.Count];
        for (int i = 0; i < tokens.Count; i++)
        {
            if (tokens[i] is not { Length: > 0 } s) throw new ArgumentException($"Sequence {i} is empty; every sequence needs at least one token.", nameof(tokens));
            if (labels[i] < 0) throw new ArgumentException($"Sequence {i} has label {labels[i]}; labels cannot be negative.", nameof(labels));
            lengths[i] = s.Length;
        }
        return lengths;
    }
}
