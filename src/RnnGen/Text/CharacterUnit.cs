namespace RnnGen.Text;

/// <summary>What a character vocabulary counts as one character.</summary>
public enum CharacterUnit
{
    /// <summary>
    /// User-perceived characters (extended grapheme clusters, as <see cref="System.Globalization.StringInfo"/>
    /// finds them): an emoji with skin tone or a ZWJ family, a letter with combining accents, "\r\n" are one token.
    /// </summary>
    TextElements,
    /// <summary>Unicode scalar values: each code point is a token, so combining marks and emoji parts stand alone.</summary>
    Runes,
}
