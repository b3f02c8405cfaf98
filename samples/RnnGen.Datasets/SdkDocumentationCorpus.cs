using System.Runtime.InteropServices;
using System.Text;
using System.Xml;

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
public static class SdkDocumentationCorpus
{
    /// <summary>The default size cap of <see cref="Build"/>, in characters (about 4 MB of mostly ASCII text).</summary>
    public const int DefaultMaxCharacters = 4_000_000;

    /// <summary>Paragraphs shorter than this many characters (after whitespace is collapsed) are skipped.</summary>
    public const int DefaultMinParagraphLength = 20;

    private const string PackName = "Microsoft.NETCore.App.Ref";

    /// <summary>
    /// The dotnet roots searched for the reference pack, in order of preference: <c>DOTNET_ROOT</c>, the root of
    /// the running runtime, the directory of <c>dotnet</c> found on <c>PATH</c> (symbolic links resolved), then
    /// the usual install locations. Duplicates are removed; directories need not exist.
    /// </summary>
    public static IReadOnlyList<string> CandidateDotnetRoots()
    {
        var roots = new List<string>();
        void Add(string? path)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                return;
            }
            string full;
            try
            {
                full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException or System.Security.SecurityException)
            {
                return;
            }
            if (!roots.Contains(full, OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal))
            {
                roots.Add(full);
            }
        }

        Add(Environment.GetEnvironmentVariable("DOTNET_ROOT"));
        Add(RootFromRuntimeDirectory());
        Add(RootFromPath());
        if (OperatingSystem.IsWindows())
        {
            Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), "dotnet"));
        }
        else
        {
            Add("/usr/share/dotnet");
            Add("/usr/lib/dotnet");
            Add("/usr/local/share/dotnet");
        }
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrEmpty(home))
        {
            Add(Path.Combine(home, ".dotnet"));
        }
        return roots;
    }

    /// <summary>
    /// The documentation folder of the newest reference pack under the first candidate root that has one
    /// (see <see cref="CandidateDotnetRoots"/>), or <see langword="null"/> when none is found.
    /// </summary>
    public static string? FindReferencePackDirectory() => FindReferencePackDirectory(CandidateDotnetRoots());

    /// <summary>
    /// The documentation folder (<c>packs/Microsoft.NETCore.App.Ref/&lt;version&gt;/ref/&lt;tfm&gt;</c>, holding
    /// <c>*.xml</c> files) of the newest pack version under the first of <paramref name="dotnetRoots"/> that has
    /// one, or <see langword="null"/>.
    /// </summary>
    public static string? FindReferencePackDirectory(IEnumerable<string> dotnetRoots)
    {
        foreach (string root in dotnetRoots)
        {
            string packRoot = Path.Combine(root, "packs", PackName);
            if (!Directory.Exists(packRoot))
            {
                continue;
            }
            var versions = SafeGetDirectories(packRoot)
                .OrderByDescending(d => ParseVersion(Path.GetFileName(d)))
                .ThenByDescending(d => Path.GetFileName(d), StringComparer.Ordinal);
            foreach (string versionDir in versions)
            {
                string refDir = Path.Combine(versionDir, "ref");
                if (!Directory.Exists(refDir))
                {
                    continue;
                }
                var tfms = SafeGetDirectories(refDir)
                    .OrderByDescending(d => ParseTfm(Path.GetFileName(d)))
                    .ThenByDescending(d => Path.GetFileName(d), StringComparer.Ordinal);
                foreach (string tfmDir in tfms)
                {
                    if (SafeGetFiles(tfmDir, "*.xml").Length > 0)
                    {
                        return tfmDir;
                    }
                }
            }
        }
        return null;
    }

    /// <summary>
    /// The documentation files of <paramref name="directory"/> (default: <see cref="FindReferencePackDirectory()"/>),
    /// sorted by file name (ordinal).
    /// </summary>
    /// <exception cref="FileNotFoundException">No directory was given and no reference pack was found.</exception>
    public static IEnumerable<string> EnumerateFiles(string? directory = null)
    {
        directory ??= ReferencePackDirectoryOrThrow(CandidateDotnetRoots());
        string[] files = Directory.GetFiles(directory, "*.xml");
        Array.Sort(files, (a, b) => string.CompareOrdinal(Path.GetFileName(a), Path.GetFileName(b)));
        return files;
    }

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

    // Collapses whitespace, trims, and keeps the paragraph if it is long enough and has a letter in it.
    private static void Flush(StringBuilder buffer, List<string> paragraphs, int minParagraphLength)
    {
        if (buffer.Length == 0)
        {
            return;
        }
        var line = new StringBuilder(buffer.Length);
        bool pendingSpace = false;
        bool hasLetter = false;
        foreach (ReadOnlyMemory<char> chunk in buffer.GetChunks())
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
                hasLetter |= char.IsLetter(c);
                line.Append(c);
            }
        }
        buffer.Clear();
        if (hasLetter && line.Length >= minParagraphLength)
        {
            string paragraph = line.ToString();
            if (LooksLikeProse(paragraph))
            {
                paragraphs.Add(paragraph);
            }
        }
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

    // The reference pack's documentation folder, or a FileNotFoundException that says where it looked.
    internal static string ReferencePackDirectoryOrThrow(IReadOnlyList<string> dotnetRoots)
    {
        return FindReferencePackDirectory(dotnetRoots) ?? throw NotFound(dotnetRoots);
    }

    private static FileNotFoundException NotFound(IReadOnlyList<string> dotnetRoots)
    {
        var looked = dotnetRoots.Select(r => Path.Combine(r, "packs", PackName));
        return new FileNotFoundException(
            "No .NET reference-pack documentation (packs/" + PackName + "/<version>/ref/<tfm>/*.xml) was found. Looked in: "
            + string.Join(", ", looked)
            + ". Set DOTNET_ROOT to a .NET SDK installation, or pass --text FILE to train on a text file of your own.");
    }

    private static string? RootFromRuntimeDirectory()
    {
        try
        {
            // <root>/shared/Microsoft.NETCore.App/<version>/
            var dir = new DirectoryInfo(Path.TrimEndingDirectorySeparator(RuntimeEnvironment.GetRuntimeDirectory()));
            DirectoryInfo? framework = dir.Parent;
            DirectoryInfo? shared = framework?.Parent;
            if (framework?.Name == "Microsoft.NETCore.App" && shared?.Name == "shared")
            {
                return shared.Parent?.FullName;
            }
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
        }
        return null;
    }

    private static string? RootFromPath()
    {
        string? path = Environment.GetEnvironmentVariable("PATH");
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }
        string exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        foreach (string entry in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                var file = new FileInfo(Path.Combine(entry, exe));
                if (!file.Exists)
                {
                    continue;
                }
                FileSystemInfo target = file.ResolveLinkTarget(returnFinalTarget: true) ?? file;
                return Path.GetDirectoryName(target.FullName);
            }
            catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
            {
            }
        }
        return null;
    }

    private static string[] SafeGetDirectories(string path)
    {
        try
        {
            return Directory.GetDirectories(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string[] SafeGetFiles(string path, string pattern)
    {
        try
        {
            return Directory.GetFiles(path, pattern);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    // "10.0.12" > "10.0.2" > "10.0.0-rc.1" (a release sorts above its previews); unparsable names last.
    private static (Version, int) ParseVersion(string name)
    {
        int dash = name.IndexOf('-');
        string core = dash >= 0 ? name[..dash] : name;
        return Version.TryParse(core, out Version? v) ? (v, dash >= 0 ? 0 : 1) : (new Version(0, 0), -1);
    }

    // "net10.0" > "net9.0" > "netcoreapp3.1"; anything else last.
    private static Version ParseTfm(string name)
    {
        ReadOnlySpan<char> s = name;
        if (s.StartsWith("netcoreapp", StringComparison.OrdinalIgnoreCase))
        {
            s = s["netcoreapp".Length..];
        }
        else if (s.StartsWith("net", StringComparison.OrdinalIgnoreCase))
        {
            s = s["net".Length..];
        }
        return Version.TryParse(s, out Version? v) ? v : new Version(0, 0);
    }
}
