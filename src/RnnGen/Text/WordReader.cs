using System.Globalization;
using System.Text;

namespace RnnGen.Text;

/// <summary>
/// Cleans text and cuts it into words as <see cref="WordOptions"/> says, one token at a time. Text is read
/// by text elements, each classed by its first code point, so an emoji sequence or an accented letter is
/// removed or kept whole. A token lives in a buffer the reader reuses: copy it before the next call.
/// </summary>
internal ref struct WordReader
{
    private readonly ReadOnlySpan<char> _text;
    private readonly WordOptions _options;
    private char[] _buffer;
    private int _position;

    public WordReader(ReadOnlySpan<char> text, WordOptions options)
    {
        _text = text;
        _options = options;
        _buffer = new char[32];
    }

    private enum Class { Separator, Letter, Digit, Punctuation, Symbol }

    /// <summary>The next word, or kept punctuation mark or symbol, and where it starts in the text.</summary>
    public bool Next(out ReadOnlySpan<char> token, out int position)
    {
        int length = 0;
        position = -1;
        bool lastWasLetter = false;
        while (_position < _text.Length)
        {
            ReadOnlySpan<char> element = _text.Slice(_position, StringInfo.GetNextTextElementLength(_text[_position..]));
            Class kind = Classify(element);
            if (kind == Class.Punctuation && length > 0 && lastWasLetter && IsInnerApostrophe(element))
                kind = Class.Letter;
            else if (kind == Class.Punctuation && _options.RemovePunctuation)
                kind = Class.Separator;
            switch (kind)
            {
                case Class.Separator:
                    _position += element.Length;
                    if (length > 0) return Emit(length, out token);
                    continue;
                case Class.Punctuation or Class.Symbol:
                    // A kept mark is a token of its own: finish the word before it first.
                    if (length > 0) return Emit(length, out token);
                    position = _position;
                    _position += element.Length;
                    return Emit(Append(element, 0), out token);
                default:
                    if (length == 0) position = _position;
                    length = Append(element, length);
                    lastWasLetter = kind == Class.Letter;
                    _position += element.Length;
                    continue;
            }
        }
        return Emit(length, out token);
    }

    private readonly bool Emit(int length, out ReadOnlySpan<char> token)
    {
        token = _buffer.AsSpan(0, length);
        return length > 0;
    }

    private readonly Class Classify(ReadOnlySpan<char> element)
    {
        Rune.DecodeFromUtf16(element, out Rune first, out _);
        if (Rune.IsWhiteSpace(first)) return Class.Separator;
        switch (Rune.GetUnicodeCategory(first))
        {
            case UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate:
                return Class.Separator;
            case UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber:
                return _options.RemoveDigits ? Class.Separator : Class.Digit;
            case UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
                or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation:
                return Class.Punctuation;
            case UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol or UnicodeCategory.OtherSymbol:
                return _options.RemoveSymbols ? Class.Separator : Class.Symbol;
            default:
                return Class.Letter;
        }
    }

    /// <summary>
    /// An apostrophe that joins two letters ("don't", "l’homme") when the options keep those; otherwise
    /// punctuation, removed or kept as a token according to <see cref="WordOptions.RemovePunctuation"/>.
    /// </summary>
    private readonly bool IsInnerApostrophe(ReadOnlySpan<char> element)
    {
        if (!_options.KeepInnerApostrophes || element is not ("'" or "\u2019")) return false;
        int next = _position + element.Length;
        if (next >= _text.Length) return false;
        Rune.DecodeFromUtf16(_text[next..], out Rune following, out _);
        return Rune.IsLetter(following);
    }

    /// <summary>Appends the element, lower-cased if asked, after <paramref name="length"/> chars of the buffer.</summary>
    private int Append(ReadOnlySpan<char> element, int length)
    {
        if (_buffer.Length < length + element.Length * 2)
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, length + element.Length * 2));
        if (!_options.LowerCase)
        {
            element.CopyTo(_buffer.AsSpan(length));
            return length + element.Length;
        }
        // Rune by rune, so letters outside the BMP are lower-cased too; a lone surrogate is copied as is.
        while (!element.IsEmpty)
        {
            if (Rune.DecodeFromUtf16(element, out Rune rune, out int consumed) == System.Buffers.OperationStatus.Done)
                length += Rune.ToLowerInvariant(rune).EncodeToUtf16(_buffer.AsSpan(length));
            else
                _buffer[length++] = element[0];
            element = element[consumed..];
        }
        return length;
    }
}
