using System.Text;
using System.Xml;

namespace RnnGen.Datasets;

// Reading documentation XML: the <summary> and <remarks> blocks of each file, split into paragraphs.
public static partial class SdkDocumentationCorpus
{
    /// <summary>
    /// The distinct paragraphs of <paramref name="files"/>, in file order then document order, each at least
    /// <paramref name="minParagraphLength"/> characters long. A file that is not well-formed XML (or cannot be
    /// read) contributes nothing. Lazy: files are read as the sequence is enumerated.
    /// </summary>
    public static IEnumerable<string> EnumerateParagraphs(IEnumerable<string> files, int minParagraphLength = DefaultMinParagraphLength)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string file in files)
        {
            List<string>? paragraphs = TryExtractFile(file, minParagraphLength);
            if (paragraphs is null)
            {
                continue;
            }
            foreach (string paragraph in paragraphs)
            {
                if (seen.Add(paragraph))
                {
                    yield return paragraph;
                }
            }
        }
    }

    /// <summary>
    /// The paragraphs of the <c>&lt;summary&gt;</c> and <c>&lt;remarks&gt;</c> elements of one documentation
    /// XML text, in document order, not deduplicated. Throws <see cref="XmlException"/> on malformed XML.
    /// </summary>
    public static List<string> ExtractParagraphs(TextReader xml, int minParagraphLength = DefaultMinParagraphLength)
    {
        var paragraphs = new List<string>();
        using var reader = XmlReader.Create(xml, ReaderSettings);
        var buffer = new StringBuilder();
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && !reader.IsEmptyElement && IsBlock(reader.LocalName))
            {
                ReadBlock(reader, buffer, paragraphs, minParagraphLength);
            }
        }
        return paragraphs;
    }

    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = false,
        CloseInput = false,
    };

    private static List<string>? TryExtractFile(string path, int minParagraphLength)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            using var text = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
            return ExtractParagraphs(text, minParagraphLength);
        }
        catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException or DecoderFallbackException)
        {
            return null;
        }
    }

    private static bool IsBlock(string name) => name is "summary" or "remarks";

    // Elements that start or end a paragraph of their own.
    internal static bool IsParagraphBreak(string name) =>
        name is "para" or "p" or "br" or "list" or "listheader" or "item" or "li" or "ul" or "ol" or "summary" or "remarks";

    // Elements whose content is not prose.
    private static bool IsSkipped(string name) => name is "code";

    // Reader is on the start tag of a non-empty block element; consumes through its end tag.
    private static void ReadBlock(XmlReader reader, StringBuilder buffer, List<string> paragraphs, int minParagraphLength)
    {
        int depth = reader.Depth;
        buffer.Clear();
        bool advanced = false;
        while (advanced || reader.Read())
        {
            advanced = false;
            switch (reader.NodeType)
            {
                case XmlNodeType.Element:
                {
                    string name = reader.LocalName;
                    if (IsSkipped(name))
                    {
                        Flush(buffer, paragraphs, minParagraphLength);
                        reader.Skip(); // moves to the node after the element
                        advanced = true;
                        break;
                    }
                    if (IsParagraphBreak(name))
                    {
                        Flush(buffer, paragraphs, minParagraphLength);
                        break;
                    }
                    if (reader.IsEmptyElement)
                    {
                        string? word = InlineWord(reader);
                        if (word is not null)
                        {
                            buffer.Append(word);
                        }
                    }
                    break;
                }
                case XmlNodeType.EndElement:
                    if (reader.Depth == depth)
                    {
                        Flush(buffer, paragraphs, minParagraphLength);
                        return;
                    }
                    if (IsParagraphBreak(reader.LocalName))
                    {
                        Flush(buffer, paragraphs, minParagraphLength);
                    }
                    break;
                case XmlNodeType.Text:
                case XmlNodeType.CDATA:
                case XmlNodeType.Whitespace:
                case XmlNodeType.SignificantWhitespace:
                    buffer.Append(reader.Value);
                    break;
            }
        }
        Flush(buffer, paragraphs, minParagraphLength);
    }
}
