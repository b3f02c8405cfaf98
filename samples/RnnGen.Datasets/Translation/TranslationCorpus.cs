using System.Globalization;

namespace RnnGen.Datasets;

/// <summary>Which part of a corpus a value belongs to.</summary>
public enum CorpusSplit { Train, Validation, Test }

/// <summary>One English sentence and its Chinese translation; <see cref="Key"/> names the value it expresses.</summary>
public sealed record TranslationPair(string Source, string Target, string Key);

/// <summary>
/// A generated English→Chinese parallel corpus: number phrases and their Chinese numerals
/// ("two thousand and five" → 二千零五, up to hundreds of millions) and dates ("March 5, 2024" → 2024年3月5日).
/// </summary>
/// <remarks>
/// Values are drawn without repetition: numbers with a uniformly chosen count of digits (1–9), a third of them
/// with random digits zeroed so that every rule for 零 is well represented; dates uniformly over 1900–2099.
/// Each value's split is a fixed hash of its key (<see cref="SplitOf"/>), about 90/5/5, so train,
/// validation and test never share a value, whatever the seed or size.
/// </remarks>
public sealed class TranslationCorpus
{
    private TranslationCorpus(TranslationPair[] train, TranslationPair[] validation, TranslationPair[] test)
    {
        Train = train;
        Validation = validation;
        Test = test;
    }

    public IReadOnlyList<TranslationPair> Train { get; }
    public IReadOnlyList<TranslationPair> Validation { get; }
    public IReadOnlyList<TranslationPair> Test { get; }

    /// <summary>
    /// Draws <paramref name="count"/> distinct values (a <paramref name="dateFraction"/> of them dates, numbers at
    /// most <paramref name="maxNumber"/>) and splits them by value.
    /// </summary>
    public static TranslationCorpus Generate(int count, int seed = 0, long maxNumber = 999_999_999, double dateFraction = 0.25)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegative(maxNumber);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxNumber, 999_999_999L);
        var random = new Random(seed);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var train = new List<TranslationPair>();
        var validation = new List<TranslationPair>();
        var test = new List<TranslationPair>();
        int maxDigits = maxNumber.ToString(CultureInfo.InvariantCulture).Length;
        var firstDay = new DateOnly(1900, 1, 1);
        int days = new DateOnly(2099, 12, 31).DayNumber - firstDay.DayNumber + 1;
        int attempts = 0;
        while (seen.Count < count)
        {
            if (++attempts > count * 50) throw new ArgumentException($"Cannot draw {count} distinct values below {maxNumber}.", nameof(count));
            TranslationPair pair;
            if (random.NextDouble() < dateFraction)
            {
                var date = firstDay.AddDays(random.Next(days));
                pair = new TranslationPair(EnglishNumbers.Date(date), EnglishNumbers.ChineseDate(date), "date:" + date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
            else
            {
                long n = DrawNumber(random, maxDigits, maxNumber);
                pair = new TranslationPair(EnglishNumbers.FromNumber(n), ChineseNumerals.FromNumber(n), "number:" + n.ToString(CultureInfo.InvariantCulture));
            }
            if (!seen.Add(pair.Key)) continue;
            (SplitOf(pair.Key) switch { CorpusSplit.Train => train, CorpusSplit.Validation => validation, _ => test }).Add(pair);
        }
        return new TranslationCorpus(train.ToArray(), validation.ToArray(), test.ToArray());
    }

    private static long DrawNumber(Random random, int maxDigits, long maxNumber)
    {
        while (true)
        {
            int digits = 1 + random.Next(maxDigits);
            long low = digits == 1 ? 0 : (long)Math.Pow(10, digits - 1), high = (long)Math.Pow(10, digits);
            long n = low + (long)(random.NextDouble() * (high - low));
            if (digits > 1 && random.NextDouble() < 1.0 / 3)
            {
                // Zero some digits below the leading one: runs of zeros inside and across groups.
                long place = 1;
                for (int d = 0; d < digits - 1; d++, place *= 10)
                    if (random.NextDouble() < 0.5) n -= n / place % 10 * place;
            }
            if (n <= maxNumber) return n;
        }
    }

    /// <summary>The split of a value, from a fixed 64-bit hash (FNV-1a, then a SplitMix finaliser) of its key.</summary>
    public static CorpusSplit SplitOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        ulong hash = 14695981039346656037UL;
        foreach (char c in key) { hash ^= c; hash *= 1099511628211UL; }
        hash ^= hash >> 30; hash *= 0xBF58476D1CE4E5B9UL; hash ^= hash >> 27; hash *= 0x94D049BB133111EBUL; hash ^= hash >> 31;
        int bucket = (int)(hash % 100);
        return bucket < 90 ? CorpusSplit.Train : bucket < 95 ? CorpusSplit.Validation : CorpusSplit.Test;
    }

    /// <summary>
    /// English tokens: words split at spaces and hyphens ("twenty-one" is "twenty", "one"), a comma on its own,
    /// and numerals digit by digit (so years and days are copied a digit at a time).
    /// </summary>
    public static string[] SourceTokens(string english)
    {
        ArgumentNullException.ThrowIfNull(english);
        var tokens = new List<string>();
        foreach (var word in english.Split([' ', '-'], StringSplitOptions.RemoveEmptyEntries))
        {
            int start = 0;
            for (int i = 0; i <= word.Length; i++)
            {
                bool boundary = i == word.Length || char.IsDigit(word[i]) || word[i] == ',';
                if (!boundary) continue;
                if (i > start) tokens.Add(word[start..i].ToLowerInvariant());
                if (i < word.Length) tokens.Add(word[i].ToString());
                start = i + 1;
            }
        }
        return tokens.ToArray();
    }

    /// <summary>Chinese tokens: one per character.</summary>
    public static string[] TargetTokens(string chinese)
    {
        ArgumentNullException.ThrowIfNull(chinese);
        return chinese.Select(c => c.ToString()).ToArray();
    }
}

/// <summary>
/// A fixed token list for translation: &lt;pad&gt; 0, &lt;unk&gt; 1, &lt;bos&gt; 2, &lt;eos&gt; 3 (the ids
/// <see cref="Seq2SeqModel"/> expects by default), then the tokens seen, in ordinal order.
/// </summary>
public sealed class TokenTable
{
    public const int Padding = 0, Unknown = 1, Begin = 2, End = 3;
    private readonly string[] _tokens;
    private readonly Dictionary<string, int> _ids;

    public TokenTable(IEnumerable<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        _tokens = [Vocabulary.PaddingToken, Vocabulary.UnknownToken, Vocabulary.BeginToken, Vocabulary.EndToken,
            .. tokens.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _tokens.Length; i++) _ids.TryAdd(_tokens[i], i);
    }

    public int Count => _tokens.Length;
    public IReadOnlyList<string> Tokens => _tokens;

    /// <summary>Ids of the tokens; unseen ones become &lt;unk&gt;.</summary>
    public int[] Encode(IEnumerable<string> tokens) => tokens.Select(t => _ids.TryGetValue(t, out int id) ? id : Unknown).ToArray();

    /// <summary>The tokens of the ids, concatenated with <paramref name="separator"/>; special tokens are skipped.</summary>
    public string Decode(IEnumerable<int> ids, string separator = "") =>
        string.Join(separator, ids.Where(id => id > End && id < _tokens.Length).Select(id => _tokens[id]));
}
