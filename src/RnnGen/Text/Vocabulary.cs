using System.Text;
using System.Text.Json;

namespace RnnGen.Text;

/// <summary>
/// A bijection between tokens and ids for a language model: characters (grapheme clusters or code points)
/// or cleaned words, with optional reserved tokens first and the rest ordered by descending frequency, then
/// ordinally. It encodes text to ids, decodes ids to text, and travels inside checkpoints as JSON.
/// </summary>
public sealed class Vocabulary
{
    public const string PaddingToken = "<pad>";
    public const string UnknownToken = "<unk>";
    public const string BeginToken = "<bos>";
    public const string EndToken = "<eos>";

    private static readonly (SpecialTokens Flag, string Token)[] SpecialOrder =
        [(SpecialTokens.Padding, PaddingToken), (SpecialTokens.Unknown, UnknownToken), (SpecialTokens.BeginOfSequence, BeginToken), (SpecialTokens.EndOfSequence, EndToken)];

    private readonly string[] _tokens;
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly int _unknownId;

    private Vocabulary(VocabularyKind kind, SpecialTokens special, string[] tokens, CharacterOptions? characterOptions, WordOptions? wordOptions)
    {
        Kind = kind;
        SpecialTokens = special;
        CharacterOptions = characterOptions;
        WordOptions = wordOptions;
        _tokens = tokens;
        _ids = new Dictionary<string, int>(tokens.Length, StringComparer.Ordinal);
        for (int i = 0; i < tokens.Length; i++) _ids.Add(tokens[i], i);
        _lookup = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
        _unknownId = IdOfSpecial(SpecialTokens.Unknown) ?? -1;
    }

    /// <summary>
    /// A vocabulary of the characters of <paramref name="text"/>: grapheme clusters by default, so Chinese
    /// text and emoji sequences give whole characters, or code points (<see cref="CharacterUnit.Runes"/>).
    /// </summary>
    public static Vocabulary Characters(string text, CharacterOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= new CharacterOptions();
        CheckLimits(options.MinCount, options.MaxSize);
        var counts = new TokenCounts();
        var reader = new CharacterReader(text, options.Unit);
        while (reader.Next(out ReadOnlySpan<char> token, out _)) counts.Add(token);
        return Build(VocabularyKind.Characters, options.SpecialTokens, counts, options.MinCount, options.MaxSize, options, null);
    }

    /// <summary>
    /// A vocabulary of the words of <paramref name="text"/> after the cleaning <paramref name="options"/> asks
    /// for (by default the tutorial's: lower-case, no symbols, digits or punctuation, <c>&lt;unk&gt;</c> reserved).
    /// </summary>
    public static Vocabulary Words(string text, WordOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= new WordOptions();
        CheckLimits(options.MinCount, options.MaxSize);
        var counts = new TokenCounts();
        var reader = new WordReader(text, options);
        while (reader.Next(out ReadOnlySpan<char> token, out _)) counts.Add(token);
        return Build(VocabularyKind.Words, options.SpecialTokens, counts, options.MinCount, options.MaxSize, null, options);
    }

    private static Vocabulary Build(VocabularyKind kind, SpecialTokens special, TokenCounts counts, int minCount, int? maxSize,
        CharacterOptions? characterOptions, WordOptions? wordOptions)
    {
        if ((special & ~(SpecialTokens.Padding | SpecialTokens.Unknown | SpecialTokens.BeginOfSequence | SpecialTokens.EndOfSequence)) != 0)
            throw new ArgumentOutOfRangeException(nameof(special), special, "Unknown special token flags.");
        string[] reserved = SpecialList(special);
        string[] tokens = [.. reserved, .. counts.Ordered(minCount, maxSize, reserved)];
        return new Vocabulary(kind, special, tokens, characterOptions, wordOptions);
    }

    private static void CheckLimits(int minCount, int? maxSize)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(minCount);
        if (maxSize is int max) ArgumentOutOfRangeException.ThrowIfNegative(max, nameof(maxSize));
    }

    private static string[] SpecialList(SpecialTokens special) =>
        SpecialOrder.Where(s => (special & s.Flag) != 0).Select(s => s.Token).ToArray();

    public VocabularyKind Kind { get; }
    /// <summary>The reserved tokens this vocabulary holds; they have ids 0, 1, ... in the order of <see cref="RnnGen.Text.SpecialTokens"/>.</summary>
    public SpecialTokens SpecialTokens { get; }
    /// <summary>The options a character vocabulary was built with; null for words.</summary>
    public CharacterOptions? CharacterOptions { get; }
    /// <summary>The options (and so the cleaning) a word vocabulary was built with; null for characters.</summary>
    public WordOptions? WordOptions { get; }

    /// <summary>The number of tokens, reserved ones included: the model's vocabulary size.</summary>
    public int Count => _tokens.Length;

    /// <summary>Every token, indexed by id.</summary>
    public IReadOnlyList<string> Tokens => _tokens;

    public int? PaddingId => IdOfSpecial(SpecialTokens.Padding);
    public int? UnknownId => IdOfSpecial(SpecialTokens.Unknown);
    public int? BeginId => IdOfSpecial(SpecialTokens.BeginOfSequence);
    public int? EndId => IdOfSpecial(SpecialTokens.EndOfSequence);

    private int? IdOfSpecial(SpecialTokens flag)
    {
        if ((SpecialTokens & flag) == 0) return null;
        int id = 0;
        foreach (var (f, _) in SpecialOrder)
        {
            if (f == flag) return id;
            if ((SpecialTokens & f) != 0) id++;
        }
        return null;
    }

    /// <summary>The token with id <paramref name="id"/>.</summary>
    public string this[int id]
    {
        get
        {
            if ((uint)id >= (uint)_tokens.Length)
                throw new ArgumentOutOfRangeException(nameof(id), id, $"Token ids run from 0 to {_tokens.Length - 1}.");
            return _tokens[id];
        }
    }

    /// <summary>The id of <paramref name="token"/>; a <see cref="KeyNotFoundException"/> naming it when it is not held.</summary>
    public int IdOf(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return _ids.TryGetValue(token, out int id) ? id : throw new KeyNotFoundException($"The vocabulary has no token '{token}'.");
    }

    public bool TryGetId(ReadOnlySpan<char> token, out int id) => _lookup.TryGetValue(token, out id);

    public bool Contains(string token) => token is not null && _ids.ContainsKey(token);

    /// <summary>
    /// The ids of <paramref name="text"/>, cut and cleaned as the vocabulary was built. A token the vocabulary
    /// does not hold becomes <c>&lt;unk&gt;</c> when that is reserved; otherwise this throws an
    /// <see cref="ArgumentException"/> naming the token and its position in the text.
    /// </summary>
    public int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var ids = new List<int>(Kind == VocabularyKind.Characters ? text.Length : text.Length / 4);
        if (Kind == VocabularyKind.Characters)
        {
            var reader = new CharacterReader(text, CharacterOptions!.Unit);
            while (reader.Next(out ReadOnlySpan<char> token, out int position)) ids.Add(Lookup(token, position, "character"));
        }
        else
        {
            var reader = new WordReader(text, WordOptions!);
            while (reader.Next(out ReadOnlySpan<char> token, out int position)) ids.Add(Lookup(token, position, "word"));
        }
        return ids.ToArray();
    }

    private int Lookup(ReadOnlySpan<char> token, int position, string what)
    {
        if (_lookup.TryGetValue(token, out int id)) return id;
        if (_unknownId >= 0) return _unknownId;
        throw new ArgumentException(
            $"The {what} '{token}' ({CodePoints(token)}) at position {position} is not in the vocabulary, which has no {UnknownToken} token to stand for it.",
            "text");
    }

    private static string CodePoints(ReadOnlySpan<char> token)
    {
        var builder = new StringBuilder();
        foreach (Rune rune in token.EnumerateRunes())
            builder.Append(builder.Length == 0 ? "" : " ").Append($"U+{rune.Value:X4}");
        return builder.ToString();
    }

    /// <summary>
    /// The text of <paramref name="ids"/>: characters are concatenated, words joined by single spaces.
    /// Reserved tokens appear as their names (<c>&lt;unk&gt;</c>...).
    /// </summary>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var builder = new StringBuilder(ids.Length * (Kind == VocabularyKind.Characters ? 1 : 6));
        for (int i = 0; i < ids.Length; i++)
        {
            int id = ids[i];
            if ((uint)id >= (uint)_tokens.Length)
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"ids[{i}] is {id}; token ids run from 0 to {_tokens.Length - 1}.");
            if (Kind == VocabularyKind.Words && i > 0) builder.Append(' ');
            builder.Append(_tokens[id]);
        }
        return builder.ToString();
    }

    /// <summary>The vocabulary as JSON, for a checkpoint's metadata; <see cref="FromJson"/> reads it back.</summary>
    public string ToJson()
    {
        var document = new VocabularyDocument
        {
            Format = VocabularyDocument.FormatName,
            Version = VocabularyDocument.CurrentVersion,
            Kind = Kind == VocabularyKind.Characters ? "characters" : "words",
            Unit = CharacterOptions is null ? null : CharacterOptions.Unit == CharacterUnit.TextElements ? "textElements" : "runes",
            MinCount = CharacterOptions?.MinCount ?? WordOptions!.MinCount,
            MaxSize = CharacterOptions?.MaxSize ?? WordOptions?.MaxSize,
            Cleaning = WordOptions is null ? null : new WordCleaningDocument
            {
                LowerCase = WordOptions.LowerCase,
                RemoveSymbols = WordOptions.RemoveSymbols,
                RemoveDigits = WordOptions.RemoveDigits,
                RemovePunctuation = WordOptions.RemovePunctuation,
                KeepInnerApostrophes = WordOptions.KeepInnerApostrophes,
            },
            Special = SpecialList(SpecialTokens),
            Tokens = _tokens,
        };
        return JsonSerializer.Serialize(document, VocabularyJsonContext.Default.VocabularyDocument);
    }

    /// <summary>
    /// Reads a vocabulary written by <see cref="ToJson"/>. Malformed or inconsistent JSON raises a
    /// <see cref="FormatException"/> that says what is wrong.
    /// </summary>
    public static Vocabulary FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        VocabularyDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, VocabularyJsonContext.Default.VocabularyDocument);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The vocabulary JSON is not valid: {ex.Message}", ex);
        }
        if (document is null) throw Bad("it is null");
        if (document.Format != VocabularyDocument.FormatName)
            throw Bad($"its \"format\" is {Quote(document.Format)}, expected \"{VocabularyDocument.FormatName}\"");
        if (document.Version != VocabularyDocument.CurrentVersion)
            throw Bad($"its \"version\" is {document.Version}; this library reads version {VocabularyDocument.CurrentVersion}");
        if (document.MinCount < 1) throw Bad($"its \"minCount\" is {document.MinCount}; it must be at least 1");
        if (document.MaxSize < 0) throw Bad($"its \"maxSize\" is {document.MaxSize}; it cannot be negative");

        SpecialTokens special = SpecialTokens.None;
        foreach (string? name in document.Special ?? [])
        {
            int index = Array.FindIndex(SpecialOrder, s => s.Token == name);
            if (index < 0) throw Bad($"{Quote(name)} is not a reserved token ({string.Join(", ", SpecialOrder.Select(s => s.Token))})");
            special |= SpecialOrder[index].Flag;
        }
        string[] reserved = SpecialList(special);
        if (!reserved.SequenceEqual(document.Special ?? []))
            throw Bad($"its \"special\" tokens must be listed once each, in the order {string.Join(", ", SpecialOrder.Select(s => s.Token))}");

        string[] tokens = document.Tokens ?? throw Bad("it has no \"tokens\"");
        for (int i = 0; i < reserved.Length; i++)
            if (i >= tokens.Length || tokens[i] != reserved[i])
                throw Bad($"token {i} must be the reserved token {reserved[i]}");

        CharacterOptions? characterOptions = null;
        WordOptions? wordOptions = null;
        VocabularyKind kind;
        switch (document.Kind)
        {
            case "characters":
                kind = VocabularyKind.Characters;
                CharacterUnit unit = document.Unit switch
                {
                    "textElements" => CharacterUnit.TextElements,
                    "runes" => CharacterUnit.Runes,
                    _ => throw Bad($"its \"unit\" is {Quote(document.Unit)}, expected \"textElements\" or \"runes\""),
                };
                characterOptions = new CharacterOptions { Unit = unit, SpecialTokens = special, MinCount = document.MinCount, MaxSize = document.MaxSize };
                break;
            case "words":
                kind = VocabularyKind.Words;
                WordCleaningDocument cleaning = document.Cleaning ?? throw Bad("a word vocabulary needs its \"cleaning\" options");
                wordOptions = new WordOptions
                {
                    LowerCase = cleaning.LowerCase,
                    RemoveSymbols = cleaning.RemoveSymbols,
                    RemoveDigits = cleaning.RemoveDigits,
                    RemovePunctuation = cleaning.RemovePunctuation,
                    KeepInnerApostrophes = cleaning.KeepInnerApostrophes,
                    SpecialTokens = special,
                    MinCount = document.MinCount,
                    MaxSize = document.MaxSize,
                };
                break;
            default:
                throw Bad($"its \"kind\" is {Quote(document.Kind)}, expected \"characters\" or \"words\"");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = reserved.Length; i < tokens.Length; i++)
        {
            string? token = tokens[i];
            if (string.IsNullOrEmpty(token)) throw Bad($"token {i} is empty");
            if (kind == VocabularyKind.Characters && !CharacterReader.IsSingle(token, characterOptions!.Unit))
                throw Bad($"token {i} ({Quote(token)}) is not a single character");
            if (kind == VocabularyKind.Words && token.AsSpan().ContainsAny(" \t\r\n"))
                throw Bad($"token {i} ({Quote(token)}) contains white space");
            if (reserved.Contains(token) || !seen.Add(token))
                throw Bad($"token {Quote(token)} appears more than once");
        }
        return new Vocabulary(kind, special, (string[])tokens.Clone(), characterOptions, wordOptions);

        static FormatException Bad(string problem) => new($"The vocabulary JSON is not usable: {problem}.");
        static string Quote(string? s) => s is null ? "missing" : $"\"{s}\"";
    }

    public override string ToString() => $"{Kind} vocabulary of {Count} tokens";
}
