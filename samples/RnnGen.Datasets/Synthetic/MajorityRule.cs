namespace RnnGen.Datasets.Synthetic;

/// <summary>
/// The best rule that sees only a key of each example: it answers the label seen most often with that key.
/// Its accuracy is the most a model limited to that key can reach on the examples.
/// </summary>
internal static class MajorityRule
{
    private const int FoldSeed = 20240601;

    /// <summary>
    /// The fraction of (key, label) pairs the per-key majority answers correctly, fitted on the same pairs: exact
    /// when keys repeat often, optimistic when many keys are seen only a few times (the rule then fits noise).
    /// 0 when there are no pairs.
    /// </summary>
    public static double Accuracy<TKey>(IEnumerable<(TKey Key, int Label)> examples) where TKey : notnull
    {
        var table = Fit(examples);
        int total = table.Values.Sum(byLabel => byLabel.Values.Sum());
        int correct = table.Values.Sum(byLabel => byLabel.Values.Max());
        return total == 0 ? 0 : (double)correct / total;
    }

    /// <summary>
    /// Two-fold cross-validated accuracy: the pairs are split in two halves at random (a fixed seed, so that the
    /// figure is reproducible, and not by position, which may follow the labels), the rule fitted on each half
    /// scores the other; a key the fitted half never saw gets that half's most frequent label.
    /// Not fooled by rare keys, unlike <see cref="Accuracy{TKey}"/>.
    /// </summary>
    public static double HeldOutAccuracy<TKey>(IReadOnlyList<(TKey Key, int Label)> examples) where TKey : notnull
    {
        var random = new Random(FoldSeed);
        int[] folds = examples.Select(_ => random.Next(2)).ToArray();
        int correct = 0;
        for (int fold = 0; fold < 2; fold++)
        {
            var table = Fit(examples.Where((_, i) => folds[i] == fold));
            var overall = table.Values.SelectMany(d => d).GroupBy(p => p.Key, p => p.Value)
                .Select(g => (Label: g.Key, Count: g.Sum())).OrderByDescending(p => p.Count).ThenBy(p => p.Label).FirstOrDefault().Label;
            correct += examples.Where((_, i) => folds[i] != fold).Count(e => Predict(table, e.Key, overall) == e.Label);
        }
        return examples.Count == 0 ? 0 : (double)correct / examples.Count;
    }

    // Label counts per key.
    private static Dictionary<TKey, Dictionary<int, int>> Fit<TKey>(IEnumerable<(TKey Key, int Label)> examples) where TKey : notnull
    {
        var table = new Dictionary<TKey, Dictionary<int, int>>();
        foreach (var (key, label) in examples)
        {
            if (!table.TryGetValue(key, out var byLabel))
            {
                table[key] = byLabel = [];
            }
            byLabel[label] = byLabel.GetValueOrDefault(label) + 1;
        }
        return table;
    }

    // The most frequent label of the key (ties to the smaller label), or the fallback for an unseen key.
    private static int Predict<TKey>(Dictionary<TKey, Dictionary<int, int>> table, TKey key, int fallback) where TKey : notnull =>
        table.TryGetValue(key, out var byLabel)
            ? byLabel.OrderByDescending(p => p.Value).ThenBy(p => p.Key).First().Key
            : fallback;
}
