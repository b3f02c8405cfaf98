using System.Text;
using System.Xml;

namespace RnnGen.Datasets;

/// <summary>
/// Reads the documented members of XML documentation files: each <c>&lt;member name="…"&gt;</c> with the text of its
/// <c>&lt;summary&gt;</c>, read the way <see cref="SdkDocumentationCorpus"/> reads prose (inline references become
/// their short names, code is dropped) and with its whitespace collapsed to single spaces.
/// </summary>
internal static class DocumentationMembers
{
    private static readonly XmlReaderSettings Settings = new()
    {
        DtdProcessing = DtdProcessing.Ignore,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = false,
    };

    /// <summary>
    /// The (member name, summary text) pairs of <paramref name="files"/>, in file then document order; members
    /// without a summary, or whose summary has no text, are left out, and so are files that are not well-formed XML.
    /// </summary>
    public static IEnumerable<(string Name, string Summary)> FromFiles(IEnumerable<string> files)
    {
        foreach (string file in files)
        {
            List<(string, string)>? members;
            try
            {
                using var text = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
                members = Read(text);
            }
            catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException or DecoderFallbackException)
            {
                members = null; // one bad file should not lose the others
            }
            foreach (var member in members ?? [])
            {
                yield return member;
            }
        }
    }

    /// <summary>The (member name, summary text) pairs of one documentation XML text. Throws <see cref="XmlException"/> on malformed XML.</summary>
    public static List<(string Name, string Summary)> Read(TextReader xml)
    {
        var members = new List<(string, string)>();
        using var reader = XmlReader.Create(xml, Settings);
        string? member = null;
        var text = new StringBuilder();
        while (reader.Read())
        {
            if (reader.NodeType != XmlNodeType.Element)
            {
                continue;
            }
            if (reader.LocalName == "member")
            {
                member = reader.GetAttribute("name");
            }
            else if (reader.LocalName == "summary" && !reader.IsEmptyElement && member is not null)
            {
                text.Clear();
                ReadSummary(reader, text);
                string summary = Collapse(text);
                if (summary.Length > 0)
                {
                    members.Add((member, summary));
                }
                member = null; // a second summary of the same member would be a documentation error: keep the first
            }
        }
        return members;
    }

    // Reader is on the start tag of <summary>; appends its prose and leaves the reader on its end tag.
    private static void ReadSummary(XmlReader reader, StringBuilder text)
    {
        int depth = reader.Depth;
        bool advanced = false;
        while (advanced || reader.Read())
        {
            advanced = false;
            switch (reader.NodeType)
            {
                case XmlNodeType.EndElement when reader.Depth == depth:
                    return;
                case XmlNodeType.Element when reader.LocalName == "code":
                    // A code block is not prose; Skip leaves the reader on the node after it.
                    text.Append(' ');
                    reader.Skip();
                    advanced = true;
                    break;
                case XmlNodeType.Element or XmlNodeType.EndElement when SdkDocumentationCorpus.IsParagraphBreak(reader.LocalName):
                    text.Append(' ');
                    break;
                case XmlNodeType.Element when reader.IsEmptyElement:
                    // <see cref="T:System.String"/> stands for the word "String"; inline tags with content add nothing.
                    text.Append(SdkDocumentationCorpus.InlineWord(reader));
                    break;
                case XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                    text.Append(reader.Value);
                    break;
            }
        }
    }

    /// <summary>The text with every run of whitespace (or control characters) made one space, and trimmed.</summary>
    public static string Collapse(StringBuilder text) => SdkDocumentationCorpus.CollapseWhitespace(text);
}
