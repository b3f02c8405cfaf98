using System.Text;
using System.Xml;

namespace RnnGen.Datasets;

// What counts as prose: the words inline elements stand for, whitespace collapsing, and the prose filter.
public static partial class SdkDocumentationCorpus
{
    // The word an empty inline element stands for: <see langword="null"/>, <see cref="T:System.String"/>,
    // <paramref name="value"/>, <xref uid="System.String.Length"/>, <see href="https://..."/>.
    internal static string? InlineWord(XmlReader reader)
    {
        string? value = reader.GetAttribute("langword");
        if (!string.IsNullOrWhiteSpace(value))
        {
            return value.Trim();
        }
        value = reader.GetAttribute("cref");
        if (!string.IsNullOrWhiteSpace(value))
        {
            return CrefName(value);
        }
        value = reader.GetAttribute("name");
        if (!string.IsNullOrWhiteSpace(value))
        {
            return value.Trim();
        }
        value = reader.GetAttribute("uid");
        if (!string.IsNullOrWhiteSpace(value))
        {
            return CrefName(value);
        }
        value = reader.GetAttribute("href");
        if (!string.IsNullOrWhiteSpace(value))
        {
            // An xref href names an API ("System.String?displayProperty=nameWithType"); a web link stays as it is.
            return value.Contains("://", StringComparison.Ordinal) ? value.Trim() : CrefName(value);
        }
        return null;
    }

    /// <summary>
    /// The short name a documentation reference is read as: <c>T:System.String</c> → <c>String</c>,
    /// <c>M:System.String.Concat(System.String,System.String)</c> → <c>Concat</c>,
    /// <c>T:System.Collections.Generic.List`1</c> → <c>List</c>, <c>M:System.Text.StringBuilder.#ctor</c> →
    /// <c>StringBuilder</c>, <c>System.String.Length?displayProperty=nameWithType</c> → <c>String.Length</c>.
    /// </summary>
    internal static string CrefName(string cref)
    {
        ReadOnlySpan<char> s = cref.AsSpan().Trim();
        bool withType = false;
        int query = s.IndexOf('?');
        if (query >= 0)
        {
            withType = s[query..].Contains("nameWithType", StringComparison.Ordinal);
            s = s[..query];
        }
        int colon = s.IndexOf(':');
        int open = s.IndexOfAny('(', '{', '<');
        if (colon >= 0 && (open < 0 || colon < open))
        {
            s = s[(colon + 1)..];
        }
        int cut = s.IndexOfAny('(', '{', '<');
        if (cut >= 0)
        {
            s = s[..cut];
        }
        cut = s.IndexOf('`');
        if (cut >= 0)
        {
            // Generic arity of a type ("List`1") or of a method ("Method``1"); a later ".Member" is kept.
            int end = cut;
            while (end < s.Length && (s[end] == '`' || char.IsAsciiDigit(s[end])))
            {
                end++;
            }
            s = string.Concat(s[..cut], s[end..]).AsSpan();
        }
        s = s.TrimEnd('.');
        if (s.IsEmpty)
        {
            return cref.Trim();
        }
        int last = s.LastIndexOf('.');
        string member = s[(last + 1)..].ToString();
        string? type = null;
        if (last > 0)
        {
            ReadOnlySpan<char> owner = s[..last];
            type = owner[(owner.LastIndexOf('.') + 1)..].ToString();
        }
        if (member is "#ctor" or "#cctor")
        {
            return type ?? member;
        }
        return withType && type is not null ? type + "." + member : member;
    }

    // Collapses whitespace, trims, and keeps the paragraph if it is long enough, has a letter in it and reads as prose.
    private static void Flush(StringBuilder buffer, List<string> paragraphs, int minParagraphLength)
    {
        if (buffer.Length == 0)
        {
            return;
        }
        string paragraph = CollapseWhitespace(buffer);
        buffer.Clear();
        if (paragraph.Length >= minParagraphLength && paragraph.Any(char.IsLetter) && LooksLikeProse(paragraph))
        {
            paragraphs.Add(paragraph);
        }
    }

    /// <summary>
    /// The text with every run of whitespace (or control characters) made one space, and trimmed; shared by the
    /// corpus's paragraphs and <see cref="DocumentationMembers.Collapse"/>.
    /// </summary>
    internal static string CollapseWhitespace(StringBuilder text)
    {
        var line = new StringBuilder(text.Length);
        bool pendingSpace = false;
        foreach (ReadOnlyMemory<char> chunk in text.GetChunks())
        {
            foreach (char c in chunk.Span)
            {
                if (char.IsWhiteSpace(c) || char.IsControl(c))
                {
                    pendingSpace = line.Length > 0;
                    continue;
                }
                if (pendingSpace)
                {
                    line.Append(' ');
                    pendingSpace = false;
                }
                line.Append(c);
            }
        }
        return line.ToString();
    }

    /// <summary>
    /// Whether a paragraph reads as English prose rather than a signature or an instruction listing
    /// (the hardware-intrinsics docs are full of <c>A64: SQADD Vd.2D, Vn.2D, Vm.2D</c>): at least four words,
    /// at least 60% of them plain words (letters, inner hyphens or apostrophes, surrounding punctuation), and
    /// ending like a sentence (<c>. ! ? :</c>).
    /// </summary>
    internal static bool LooksLikeProse(string paragraph)
    {
        if (paragraph.Length == 0 || paragraph[^1] is not ('.' or '!' or '?' or ':'))
        {
            return false;
        }
        int words = 0, plain = 0;
        foreach (Range range in paragraph.AsSpan().Split(' '))
        {
            ReadOnlySpan<char> token = paragraph.AsSpan()[range];
            if (token.IsEmpty)
            {
                continue;
            }
            words++;
            token = token.TrimStart("(\"'").TrimEnd(")\"',.;:!?");
            if (IsPlainWord(token))
            {
                plain++;
            }
        }
        return words >= 4 && plain * 10 >= words * 6;
    }

    private static bool IsPlainWord(ReadOnlySpan<char> token)
    {
        if (token.IsEmpty || !char.IsLetter(token[0]) || !char.IsLetter(token[^1]))
        {
            return false;
        }
        foreach (char c in token)
        {
            if (!char.IsLetter(c) && c is not ('-' or '\''))
            {
                return false;
            }
        }
        return true;
    }
}
