using System.Text;

namespace RnnGen.Datasets;

/// <summary>
/// A default training corpus that every machine with the .NET SDK already has: the English prose of the
/// XML documentation files shipped in the SDK's reference pack
/// (<c>&lt;dotnet root&gt;/packs/Microsoft.NETCore.App.Ref/&lt;version&gt;/ref/&lt;tfm&gt;/*.xml</c>).
/// </summary>
/// <remarks>
/// Only the text of <c>&lt;summary&gt;</c> and <c>&lt;remarks&gt;</c> elements is kept. Tags are stripped, but the
/// words of inline elements survive (<c>&lt;see cref="T:System.String"/&gt;</c> becomes <c>String</c>,
/// <c>&lt;see langword="true"/&gt;</c> becomes <c>true</c>, <c>&lt;paramref name="value"/&gt;</c> becomes
/// <c>value</c>); code blocks are dropped. Each paragraph becomes one line with its whitespace collapsed.
/// Duplicate and trivially short paragraphs are skipped, and so are paragraphs that do not read as prose
/// (signatures and instruction listings, mostly plain words ending like a sentence). Files are read in ordinal order of their names, so
/// the same pack always gives the same text.
/// </remarks>
public static partial class SdkDocumentationCorpus
{
    /// <summary>The default size cap of <see cref="Build"/>, in characters (about 4 MB of mostly ASCII text).</summary>
    public const int DefaultMaxCharacters = 4_000_000;

    /// <summary>Paragraphs shorter than this many characters (after whitespace is collapsed) are skipped.</summary>
    public const int DefaultMinParagraphLength = 20;

    /// <summary>
    /// Builds the corpus: one paragraph per line (each ending in <c>'\n'</c>), duplicates and paragraphs shorter
    /// than <paramref name="minParagraphLength"/> skipped, stopping before the first paragraph that would make the
    /// text longer than <paramref name="maxCharacters"/>. Files that are not well-formed XML are skipped whole.
    /// </summary>
    /// <param name="maxCharacters">Size cap in characters; the result is never longer.</param>
    /// <param name="minParagraphLength">Shortest paragraph kept, in characters.</param>
    /// <param name="directory">Folder of <c>*.xml</c> files to read; default: the SDK's reference pack.</param>
    /// <exception cref="FileNotFoundException">No directory was given and no reference pack was found.</exception>
    public static string Build(int maxCharacters = DefaultMaxCharacters, int minParagraphLength = DefaultMinParagraphLength, string? directory = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxCharacters);
        var text = new StringBuilder(Math.Min(maxCharacters, 1 << 24));
        foreach (string paragraph in EnumerateParagraphs(EnumerateFiles(directory), minParagraphLength))
        {
            if (text.Length + paragraph.Length + 1 > maxCharacters)
            {
                break;
            }
            text.Append(paragraph).Append('\n');
        }
        return text.ToString();
    }
}
