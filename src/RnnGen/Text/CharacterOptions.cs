namespace RnnGen.Text;

/// <summary>How <see cref="Vocabulary.Characters"/> builds a character vocabulary.</summary>
public sealed record CharacterOptions
{
    /// <summary>Grapheme clusters (the default) or code points.</summary>
    public CharacterUnit Unit { get; init; } = CharacterUnit.TextElements;

    /// <summary>Reserved tokens to put first; none by default, so ids are the characters alone.</summary>
    public SpecialTokens SpecialTokens { get; init; } = SpecialTokens.None;

    /// <summary>Characters seen fewer times are left out (and encode as <c>&lt;unk&gt;</c> if it is reserved).</summary>
    public int MinCount { get; init; } = 1;

    /// <summary>At most this many characters besides the reserved tokens, the most frequent kept; null for no limit.</summary>
    public int? MaxSize { get; init; }
}
