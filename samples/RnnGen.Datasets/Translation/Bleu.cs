namespace RnnGen.Datasets;

/// <summary>
/// Corpus BLEU (Papineni et al. 2002) with one reference per sentence: the geometric mean of the clipped
/// n-gram precisions for n = 1..4, summed over the whole corpus before dividing, times the brevity
/// penalty exp(1 - r / c) when the candidates' total length c is below the references' r. No smoothing:
/// a corpus with no matching n-gram of some order scores 0. For Chinese, pass characters as tokens.
/// </summary>
public static class Bleu
{
    public static double Corpus(IReadOnlyList<IReadOnlyList<string>> candidates, IReadOnlyList<IReadOnlyList<string>> references, int maxOrder = 4)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(references);
        if (candidates.Count != references.Count) throw new ArgumentException($"{candidates.Count} candidates but {references.Count} references.", nameof(references));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxOrder);
        var matches = new long[maxOrder];
        var totals = new long[maxOrder];
        long candidateLength = 0, referenceLength = 0;
        for (int i = 0; i < candidates.Count; i++)
        {
            var candidate = candidates[i];
            var reference = references[i];
            candidateLength += candidate.Count;
            referenceLength += reference.Count;
            for (int n = 1; n <= maxOrder; n++)
            {
                var referenceCounts = Counts(reference, n);
                foreach (var (gram, count) in Counts(candidate, n))
                    matches[n - 1] += Math.Min(count, referenceCounts.GetValueOrDefault(gram));
                totals[n - 1] += Math.Max(0, candidate.Count - n + 1);
            }
        }
        if (candidateLength == 0) return 0;
        double logSum = 0;
        for (int n = 0; n < maxOrder; n++)
        {
            if (matches[n] == 0) return 0;
            logSum += Math.Log((double)matches[n] / totals[n]);
        }
        double brevity = candidateLength < referenceLength ? Math.Exp(1 - (double)referenceLength / candidateLength) : 1;
        return brevity * Math.Exp(logSum / maxOrder);
    }

    /// <summary>BLEU over characters, for Chinese strings.</summary>
    public static double Characters(IReadOnlyList<string> candidates, IReadOnlyList<string> references, int maxOrder = 4) =>
        Corpus(candidates.Select(Chars).ToArray(), references.Select(Chars).ToArray(), maxOrder);

    private static IReadOnlyList<string> Chars(string text) => text.Select(c => c.ToString()).ToArray();

    private static Dictionary<string, int> Counts(IReadOnlyList<string> tokens, int n)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i + n <= tokens.Count; i++)
        {
            string gram = string.Join("\u0001", tokens.Skip(i).Take(n));
            counts[gram] = counts.GetValueOrDefault(gram) + 1;
        }
        return counts;
    }
}
