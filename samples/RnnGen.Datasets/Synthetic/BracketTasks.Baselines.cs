namespace RnnGen.Datasets.Synthetic;

// What models without order or without recurrence reach on the bracket tasks, measured on the data itself, so a
// learning test can say how far above them a recurrent model has to get.
public static partial class BracketTasks
{
    /// <summary>
    /// The accuracy of the best rule that sees only how many times each character occurs (a bag-of-characters
    /// model: no order), cross-validated on the data (fitted on every other string, scored on the rest, both
    /// ways). The negatives of <see cref="Balanced"/> are balanced strings with two characters exchanged, so counts
    /// carry no information about the label and the figure is 50% up to sampling noise (measured: 49.4%, 50.4%,
    /// 51.2% on 4,000 strings of length 2-20, seeds 1-3). With <paramref name="crossValidated"/> false the rule is
    /// fitted and scored on the same strings, which rewards memorising rare count vectors (54-55% on the same).
    /// </summary>
    public static double BagOfCharactersBaseline(IReadOnlyList<int[]> tokens, IReadOnlyList<int> labels, bool crossValidated = true)
    {
        CheckSameCount(tokens.Count, labels.Count);
        var examples = tokens.Select((sequence, i) => (CountKey(sequence), labels[i])).ToList();
        return crossValidated ? MajorityRule.HeldOutAccuracy(examples) : MajorityRule.Accuracy(examples);
    }

    /// <summary>
    /// The accuracy over all tokens of the best rule that sees only the current token (a tagger with no
    /// recurrence and no context), fitted on the same data. For <see cref="Depth"/> that is the most frequent depth
    /// after each kind of token: 34% for strings of length 4-40 (36% at 10-30), against
    /// 30% (31%) for the most frequent tag everywhere (see <see cref="MajorityTagBaseline"/>).
    /// </summary>
    public static double CurrentTokenBaseline(IReadOnlyList<int[]> tokens, IReadOnlyList<int[]> tags)
    {
        CheckSameCount(tokens.Count, tags.Count);
        return MajorityRule.Accuracy(tokens.SelectMany((sequence, i) =>
        {
            if (tags[i].Length != sequence.Length)
            {
                throw new ArgumentException($"Sequence {i} has {sequence.Length} tokens but {tags[i].Length} tags.", nameof(tags));
            }
            return sequence.Select((token, t) => (token, tags[i][t]));
        }));
    }

    /// <summary>The accuracy over all tokens of answering the most frequent tag everywhere.</summary>
    public static double MajorityTagBaseline(IReadOnlyList<int[]> tags) =>
        MajorityRule.Accuracy(tags.SelectMany(sequence => sequence.Select(tag => (0, tag))));

    // The counts of the five token ids, as one comparable key.
    private static (int, int, int, int, int) CountKey(int[] sequence)
    {
        Span<int> counts = stackalloc int[VocabularySize];
        foreach (int token in sequence)
        {
            counts[token]++;
        }
        return (counts[0], counts[1], counts[2], counts[3], counts[4]);
    }

    private static void CheckSameCount(int sequences, int answers)
    {
        if (sequences != answers)
        {
            throw new ArgumentException($"{sequences} sequences but {answers} labels or tag rows.");
        }
    }
}
