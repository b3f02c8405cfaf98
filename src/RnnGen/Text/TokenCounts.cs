namespace RnnGen.Text;

/// <summary>
/// Counts token occurrences while a vocabulary is built, then orders the survivors deterministically:
/// most frequent first, ties broken by ordinal string order, so the same text always gives the same ids.
/// </summary>
internal sealed class TokenCounts
{
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public TokenCounts() => _lookup = _counts.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Counts one occurrence; allocates a string only the first time a token is seen.</summary>
    public void Add(ReadOnlySpan<char> token)
    {
        _lookup.TryGetValue(token, out int count);
        _lookup[token] = count + 1;
    }

    /// <summary>Tokens seen at least <paramref name="minCount"/> times, except reserved ones, at most <paramref name="maxSize"/> of them.</summary>
    public List<string> Ordered(int minCount, int? maxSize, IReadOnlyCollection<string> reserved)
    {
        var kept = _counts.Where(kv => kv.Value >= minCount && !reserved.Contains(kv.Key)).ToList();
        kept.Sort((a, b) => a.Value != b.Value ? b.Value.CompareTo(a.Value) : string.CompareOrdinal(a.Key, b.Key));
        if (maxSize is int max && kept.Count > max) kept.RemoveRange(max, kept.Count - max);
        return kept.ConvertAll(kv => kv.Key);
    }
}
