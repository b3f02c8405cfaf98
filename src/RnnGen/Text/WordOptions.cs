namespace RnnGen.Text;

/// <summary>
/// How <see cref="Vocabulary.Words"/> cleans text and builds a word vocabulary. The defaults follow the
/// tutorial's preprocessing: lower-case the text, remove special symbols, digits and punctuation, split on
/// what is left between words, and map rare or unseen words to <c>&lt;unk&gt;</c>.
/// </summary>
/// <remarks>
/// Removed characters separate words ("end.Next" gives "end" and "next"). Punctuation and symbols that are
/// kept become tokens of their own ("end." gives "end" and "."). An apostrophe between two letters stays
/// inside its word ("don't") while <see cref="KeepInnerApostrophes"/> is set. Words are split at white space
/// only, so scripts written without spaces (Chinese, Japanese) give one token per run of text.
/// </remarks>
public sealed record WordOptions
{
    /// <summary>Lower-case every word, culture-independently.</summary>
    public bool LowerCase { get; init; } = true;

    /// <summary>Remove special symbols: mathematical, currency, modifier and other symbols, emoji included.</summary>
    public bool RemoveSymbols { get; init; } = true;

    /// <summary>Remove digits and other numeric characters.</summary>
    public bool RemoveDigits { get; init; } = true;

    /// <summary>Remove punctuation.</summary>
    public bool RemovePunctuation { get; init; } = true;

    /// <summary>Keep an apostrophe (' or ’) that joins two letters as part of the word.</summary>
    public bool KeepInnerApostrophes { get; init; } = true;

    /// <summary>Words seen fewer times are left out and encode as <c>&lt;unk&gt;</c>.</summary>
    public int MinCount { get; init; } = 1;

    /// <summary>At most this many words besides the reserved tokens, the most frequent kept; null for no limit.</summary>
    public int? MaxSize { get; init; }

    /// <summary>Reserved tokens to put first; <c>&lt;unk&gt;</c> by default, so unseen words can be encoded.</summary>
    public SpecialTokens SpecialTokens { get; init; } = SpecialTokens.Unknown;
}
