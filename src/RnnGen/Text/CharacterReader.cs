using System.Buffers;
using System.Globalization;
using System.Text;

namespace RnnGen.Text;

/// <summary>
/// Walks text one character at a time, a character being a text element or a rune. Tokens are slices of
/// the text, so reading allocates nothing; a lone surrogate reads as U+FFFD in rune mode.
/// </summary>
internal ref struct CharacterReader(ReadOnlySpan<char> text, CharacterUnit unit)
{
    private const string Replacement = "\uFFFD";
    private readonly ReadOnlySpan<char> _text = text;
    private readonly CharacterUnit _unit = unit;
    private int _position;

    /// <summary>The next character and the index of its first UTF-16 unit in the text.</summary>
    public bool Next(out ReadOnlySpan<char> token, out int position)
    {
        position = _position;
        if (_position >= _text.Length)
        {
            token = default;
            return false;
        }
        ReadOnlySpan<char> rest = _text[_position..];
        int length;
        if (_unit == CharacterUnit.TextElements)
        {
            length = StringInfo.GetNextTextElementLength(rest);
            token = rest[..length];
        }
        else
        {
            OperationStatus status = Rune.DecodeFromUtf16(rest, out _, out length);
            token = status == OperationStatus.Done ? rest[..length] : Replacement;
        }
        _position += length;
        return true;
    }

    /// <summary>True when <paramref name="token"/> is exactly one character of <paramref name="unit"/>.</summary>
    public static bool IsSingle(string token, CharacterUnit unit)
    {
        if (token.Length == 0) return false;
        if (unit == CharacterUnit.TextElements) return StringInfo.GetNextTextElementLength(token) == token.Length;
        return Rune.DecodeFromUtf16(token, out _, out int length) == OperationStatus.Done ? length == token.Length : token == Replacement;
    }
}
