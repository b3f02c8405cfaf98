using System.Diagnostics;
using Xunit.Abstractions;

namespace RnnGen.Tests.Text;

public sealed class SdkDocumentationCorpusTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "rnngen-corpus-" + Guid.NewGuid().ToString("N"));
    private readonly ITestOutputHelper _output;

    public SdkDocumentationCorpusTests(ITestOutputHelper output)
    {
        _output = output;
        Directory.CreateDirectory(_dir);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void Write(string fileName, string members) =>
        File.WriteAllText(Path.Combine(_dir, fileName),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<doc>\n  <assembly><name>Test</name></assembly>\n  <members>\n"
            + members + "\n  </members>\n</doc>\n");

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public void Strips_tags_and_keeps_the_words_of_inline_elements()
    {
        Write("A.xml", """
            <member name="M:System.Foo.Bar(System.String)">
              <summary>Converts the <see cref="T:System.String" /> in <paramref name="value" /> to
                 <c>null</c>   when <see langword="true" />, see <see cref="M:System.String.Concat(System.String,System.String)" />.</summary>
              <param name="value">Ignored parameter text that is long enough.</param>
              <returns>Ignored returns text that is long enough.</returns>
            </member>
            <member name="T:System.Foo">
              <summary>Creates a <see cref="T:System.Collections.Generic.List`1" /> through <see cref="M:System.Text.StringBuilder.#ctor" /> and <typeparamref name="T" /> values.</summary>
            </member>
            """);

        string[] lines = Lines(SdkDocumentationCorpus.Build(directory: _dir));

        Assert.Equal(
            [
                "Converts the String in value to null when true, see Concat.",
                "Creates a List through StringBuilder and T values.",
            ],
            lines);
    }

    [Fact]
    public void Paragraphs_and_remarks_become_separate_lines_and_code_is_dropped()
    {
        Write("A.xml", """
            <member name="T:System.Foo">
              <summary>The summary sentence of the type.</summary>
              <remarks>
                <para>First paragraph of the remarks section.</para>
                <para>Second paragraph, with a line
                      break inside it.</para>
                <code>var x = new Foo(); // code is not prose</code>
                <list type="bullet"><item><description>A list item that is long enough.</description></item></list>
              </remarks>
            </member>
            """);

        string[] lines = Lines(SdkDocumentationCorpus.Build(directory: _dir));

        Assert.Equal(
            [
                "The summary sentence of the type.",
                "First paragraph of the remarks section.",
                "Second paragraph, with a line break inside it.",
                "A list item that is long enough.",
            ],
            lines);
    }

    [Fact]
    public void Decodes_entities()
    {
        Write("A.xml", """
            <member name="T:System.Foo">
              <summary>Returns &lt;T&gt; when both a &amp;&amp; b hold, as &quot;quoted&quot; &#x2014; &#169; is done.</summary>
            </member>
            """);

        Assert.Equal("Returns <T> when both a && b hold, as \"quoted\" \u2014 \u00A9 is done.\n", SdkDocumentationCorpus.Build(directory: _dir));
    }

    [Fact]
    public void Skips_duplicates_and_short_lines_across_files_in_sorted_order()
    {
        Write("B.xml", """
            <member name="T:B"><summary>Gets the second file's own sentence.</summary></member>
            <member name="T:B2"><summary>Initializes a new instance of the class.</summary></member>
            """);
        Write("A.xml", """
            <member name="T:A"><summary>Initializes a new instance of the class.</summary></member>
            <member name="T:A2"><summary>Too short.</summary></member>
            <member name="T:A3"><summary>Initializes a new instance of the class.</summary></member>
            """);

        string[] lines = Lines(SdkDocumentationCorpus.Build(directory: _dir));

        Assert.Equal(["Initializes a new instance of the class.", "Gets the second file's own sentence."], lines);
    }

    [Fact]
    public void Respects_the_size_cap_at_a_paragraph_boundary()
    {
        var members = string.Concat(Enumerable.Range(0, 100).Select(i =>
            $"<member name=\"T:T{i}\"><summary>Paragraph number {i} of the capped corpus.</summary></member>\n"));
        Write("A.xml", members);

        string full = SdkDocumentationCorpus.Build(directory: _dir);
        string capped = SdkDocumentationCorpus.Build(maxCharacters: 500, directory: _dir);

        Assert.Equal(100, Lines(full).Length);
        Assert.True(capped.Length <= 500, $"length {capped.Length}");
        Assert.True(capped.Length > 500 - 50, $"length {capped.Length}");
        Assert.StartsWith(capped, full, StringComparison.Ordinal);
        Assert.EndsWith("\n", capped, StringComparison.Ordinal);
        Assert.Equal("", SdkDocumentationCorpus.Build(maxCharacters: 10, directory: _dir));
    }

    [Fact]
    public void Skips_a_malformed_file_whole()
    {
        Write("A.xml", """<member name="T:A"><summary>A sentence from the good first file.</summary></member>""");
        File.WriteAllText(Path.Combine(_dir, "B.xml"),
            "<doc><members><member name=\"T:B\"><summary>A sentence before the error in the file.</summary></member><member><summary>Unclosed</members></doc>");
        File.WriteAllBytes(Path.Combine(_dir, "C.xml"), [0xFF, 0xFE, 0x00, 0x3C, 0x00]);
        Write("D.xml", """<member name="T:D"><summary>A sentence from the good last file.</summary></member>""");

        string[] lines = Lines(SdkDocumentationCorpus.Build(directory: _dir));

        Assert.Equal(["A sentence from the good first file.", "A sentence from the good last file."], lines);
    }

    [Theory]
    [InlineData("T:System.String", "String")]
    [InlineData("M:System.String.Concat(System.String,System.String)", "Concat")]
    [InlineData("T:System.Collections.Generic.List`1", "List")]
    [InlineData("M:System.Linq.Enumerable.Select``2(System.Collections.Generic.IEnumerable{``0})", "Select")]
    [InlineData("P:System.Collections.Generic.List`1.Count", "Count")]
    [InlineData("M:System.Text.StringBuilder.#ctor", "StringBuilder")]
    [InlineData("Overload:System.IO.File.ReadAllText", "ReadAllText")]
    [InlineData("System.String.Length?displayProperty=nameWithType", "String.Length")]
    [InlineData("System.Diagnostics.Activity", "Activity")]
    public void Cref_names_are_read_as_short_names(string cref, string expected) =>
        Assert.Equal(expected, SdkDocumentationCorpus.CrefName(cref));

    [Theory]
    [InlineData("Gets a value that indicates whether the handle is invalid.", true)]
    [InlineData("The entry points to a blob that has the following format:", true)]
    [InlineData("Returns the (zero-based) index of the user's item, or -1 if not found.", true)]
    [InlineData("Gets a value that indicates whether the handle is invalid", false)]
    [InlineData("A dynamic operation.", false)]
    [InlineData("A64: SQADD Vd.2D, Vn.2D, Vm.2D", false)]
    [InlineData("uint8x8_t vadd_u8 (uint8x8_t a, uint8x8_t b)", false)]
    [InlineData("VPSLLD zmm1 {k1}{z}, zmm2, xmm3/m128.", false)]
    public void Keeps_prose_and_drops_signatures(string paragraph, bool expected) =>
        Assert.Equal(expected, SdkDocumentationCorpus.LooksLikeProse(paragraph));

    [Fact]
    public void Finds_the_newest_pack_version_under_the_first_root_that_has_one()
    {
        string empty = Path.Combine(_dir, "empty-root");
        string root = Path.Combine(_dir, "root");
        foreach (string version in new[] { "9.0.4", "10.0.2", "10.0.12", "11.0.0-preview.1" })
        {
            string tfm = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref", version, "ref", "net" + version[..version.IndexOf('.', StringComparison.Ordinal)] + ".0");
            Directory.CreateDirectory(tfm);
            File.WriteAllText(Path.Combine(tfm, "System.Runtime.xml"), "<doc/>");
        }
        Directory.CreateDirectory(Path.Combine(empty, "packs", "Microsoft.NETCore.App.Ref", "99.0.0", "ref", "net99.0")); // no xml

        string? found = SdkDocumentationCorpus.FindReferencePackDirectory([Path.Combine(_dir, "missing"), empty, root]);

        Assert.Equal(Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref", "11.0.0-preview.1", "ref", "net11.0"), found);
        Assert.Null(SdkDocumentationCorpus.FindReferencePackDirectory([empty]));
    }

    [Fact]
    public void Real_reference_pack_gives_megabytes_of_english_prose()
    {
        string? directory = SdkDocumentationCorpus.FindReferencePackDirectory();
        Assert.NotNull(directory); // the .NET SDK that runs this test ships its reference pack

        var watch = Stopwatch.StartNew();
        string text = SdkDocumentationCorpus.Build();
        watch.Stop();
        _output.WriteLine($"{directory}: {text.Length:N0} characters, {Lines(text).Length:N0} lines in {watch.ElapsedMilliseconds} ms");

        Assert.True(text.Length > 1_000_000, $"only {text.Length} characters");
        Assert.DoesNotContain("\nA64: SQADD Vd.2D, Vn.2D, Vm.2D\n", text, StringComparison.Ordinal); // instruction listings dropped
        Assert.DoesNotContain("uint8x8_t vadd_u8", text, StringComparison.Ordinal); // intrinsic signatures dropped
        Assert.True(text.Length <= SdkDocumentationCorpus.DefaultMaxCharacters);
        Assert.Contains("Returns ", text, StringComparison.Ordinal);
        Assert.Contains("Gets ", text, StringComparison.Ordinal);
        Assert.Contains("Initializes a new instance of the ", text, StringComparison.Ordinal);
        Assert.DoesNotContain("<see", text, StringComparison.Ordinal);
        Assert.DoesNotContain("cref=", text, StringComparison.Ordinal);
        Assert.DoesNotContain("T:System.", text, StringComparison.Ordinal);

        string[] lines = Lines(text);
        Assert.Equal(lines.Length, lines.Distinct(StringComparer.Ordinal).Count());
        Assert.All(lines, line => Assert.True(line.Length >= SdkDocumentationCorpus.DefaultMinParagraphLength && line == line.Trim(), line));
        double endingWithPeriod = lines.Count(l => l.EndsWith('.')) / (double)lines.Length;
        Assert.True(endingWithPeriod > 0.9, $"{endingWithPeriod:P0} of lines end with a period");
        double letters = text.Count(char.IsLetter) / (double)text.Length;
        Assert.True(letters > 0.7, $"letters are {letters:P0} of the text");

        Assert.Equal(text, SdkDocumentationCorpus.Build()); // deterministic
    }

    [Fact]
    public void Missing_pack_gives_a_clear_message()
    {
        string nowhere = Path.Combine(_dir, "no-dotnet-here");
        var exception = Assert.Throws<FileNotFoundException>(() => SdkDocumentationCorpus.ReferencePackDirectoryOrThrow([nowhere]));
        Assert.Contains(nowhere, exception.Message, StringComparison.Ordinal);
        Assert.Contains("No .NET reference-pack documentation", exception.Message, StringComparison.Ordinal);
        Assert.Contains("--text FILE", exception.Message, StringComparison.Ordinal);
        Assert.Contains("Looked in:", exception.Message, StringComparison.Ordinal);
    }
}
