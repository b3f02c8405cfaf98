using System.Diagnostics;
using Xunit.Abstractions;

namespace RnnGen.Tests.Datasets;

/// <summary>The member-kind classification corpus, on hand-made documentation and on the SDK's own.</summary>
public sealed class MemberKindCorpusTests(ITestOutputHelper output) : IDisposable
{
    private readonly DocumentationFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("T:System.String", 0)]
    [InlineData("M:System.String.#ctor(System.Char[])", 1)]
    [InlineData("M:System.Text.StringBuilder.#ctor", 1)]
    [InlineData("M:System.Console.#cctor", 1)]
    [InlineData("M:System.String.Concat(System.String,System.String)", 2)]
    [InlineData("M:Foo.Bar(System.Action{Foo.#ctor})", 2)]
    [InlineData("P:System.String.Length", 3)]
    [InlineData("F:System.Int32.MaxValue", 4)]
    [InlineData("E:System.Console.CancelKeyPress", 5)]
    [InlineData("N:System", null)]
    [InlineData("garbage", null)]
    public void Kinds_come_from_the_member_name(string name, int? kind) => Assert.Equal(kind, MemberKindCorpus.KindOf(name));

    [Fact]
    public void Reads_summaries_with_their_kinds_and_cleans_them()
    {
        _folder.Write("A.xml", """
            <member name="T:N.Widget"><summary>Represents a   widget
                that draws <see cref="T:N.Shape" /> objects.</summary></member>
            <member name="M:N.Widget.#ctor"><summary>Initializes a new instance of the <see cref="T:N.Widget" /> class.</summary></member>
            <member name="M:N.Widget.Draw(System.Int32)">
              <summary>Draws the widget <paramref name="count" /> times.</summary>
              <param name="count">How many times, which is not part of the summary.</param>
            </member>
            <member name="P:N.Widget.Size"><summary>Gets or sets the size of the <c>Widget</c> in pixels.</summary></member>
            <member name="F:N.Widget.Empty"><summary>Represents an empty widget.<code>var w = Widget.Empty;</code></summary></member>
            <member name="E:N.Widget.Drawn"><summary>Occurs when the widget has been drawn.</summary></member>
            <member name="M:N.Widget.Hidden"><summary>   </summary></member>
            <member name="M:N.Widget.Inherited"><inheritdoc /></member>
            <member name="N:N"><summary>The namespace of widgets, which has no kind.</summary></member>
            """);

        var (texts, labels, classNames) = MemberKindCorpus.Load(maxPerClass: 10, seed: 1, directory: _folder.Path);

        Assert.Equal(["type", "constructor", "method", "property", "field", "event"], classNames);
        var byLabel = texts.Zip(labels).OrderBy(p => p.Second).ToList();
        Assert.Equal(
            [
                ("Represents a widget that draws Shape objects.", 0),
                ("Initializes a new instance of the Widget class.", 1),
                ("Draws the widget count times.", 2),
                ("Gets or sets the size of the Widget in pixels.", 3),
                ("Represents an empty widget.", 4),
                ("Occurs when the widget has been drawn.", 5),
            ],
            byLabel);
    }

    [Fact]
    public void Caps_each_class_draws_by_seed_and_never_repeats_a_text()
    {
        var members = Enumerable.Range(0, 30).Select(i => $"""<member name="M:N.C.M{i}"><summary>Does thing number {i} for the caller.</summary></member>""")
            .Concat(Enumerable.Range(0, 3).Select(i => $"""<member name="P:N.C.P{i}"><summary>Gets value number {i} of the object.</summary></member>"""))
            .Append("""<member name="F:N.C.F"><summary>Does thing number 0 for the caller.</summary></member>"""); // a method's text again
        _folder.Write("A.xml", string.Join("\n", members));

        var a = MemberKindCorpus.Load(maxPerClass: 5, seed: 1, directory: _folder.Path);
        var b = MemberKindCorpus.Load(maxPerClass: 5, seed: 1, directory: _folder.Path);
        var c = MemberKindCorpus.Load(maxPerClass: 5, seed: 2, directory: _folder.Path);

        Assert.Equal(5, a.Labels.Count(l => l == 2));
        Assert.Equal(3, a.Labels.Count(l => l == 3));
        Assert.DoesNotContain(4, a.Labels); // the field's summary was a method's first
        Assert.Equal(a.Texts, b.Texts);
        Assert.Equal(a.Labels, b.Labels);
        Assert.NotEqual(a.Texts, c.Texts);
        Assert.Equal(a.Texts.Count, a.Texts.Distinct().Count());
    }

    [Fact]
    public void Long_summaries_are_cut_at_a_word()
    {
        string longText = string.Join(' ', Enumerable.Repeat("Represents a rather long description", 20)) + ".";
        _folder.Write("A.xml", $"""<member name="T:N.Long"><summary>{longText}</summary></member>""");

        string text = Assert.Single(MemberKindCorpus.Load(10, 1, _folder.Path).Texts);
        Assert.True(text.Length <= MemberKindCorpus.MaxTextLength);
        Assert.StartsWith(text + " ", longText, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_documentation_is_named_in_the_error()
    {
        var empty = Assert.Throws<FileNotFoundException>(() => MemberKindCorpus.Load(10, 1, _folder.Path));
        Assert.Contains(_folder.Path, empty.Message, StringComparison.Ordinal);
        Assert.Contains("*.xml", empty.Message, StringComparison.Ordinal);

        string nowhere = Path.Combine(_folder.Path, "missing");
        var missing = Assert.Throws<FileNotFoundException>(() => MemberKindCorpus.Load(10, 1, nowhere));
        Assert.Contains(nowhere, missing.Message, StringComparison.Ordinal);

        _folder.Write("A.xml", """<member name="T:N.Bare"><remarks>No summary here.</remarks></member>""");
        var none = Assert.Throws<InvalidDataException>(() => MemberKindCorpus.Load(10, 1, _folder.Path));
        Assert.Contains("<summary>", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sdk_documentation_gives_six_balanced_classes()
    {
        if (SdkDocumentationCorpus.FindReferencePackDirectory() is not { } directory)
        {
            output.WriteLine("No SDK reference pack found: nothing to check.");
            return;
        }
        var watch = Stopwatch.StartNew();
        var (texts, labels, classNames) = MemberKindCorpus.Load(maxPerClass: 100, seed: 1);
        output.WriteLine($"{directory}: {texts.Count} texts in {watch.ElapsedMilliseconds} ms");

        Assert.All(Enumerable.Range(0, classNames.Count), k => Assert.Equal(100, labels.Count(l => l == k)));
        Assert.All(texts, t => Assert.True(t.Length is > 0 and <= MemberKindCorpus.MaxTextLength && t == t.Trim() && !t.Contains("  "), t));
        Assert.Contains(texts.Where((_, i) => labels[i] == 1), t => t.StartsWith("Initializes a new instance of the ", StringComparison.Ordinal));
        Assert.Contains(texts.Where((_, i) => labels[i] == 5), t => t.StartsWith("Occurs when ", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, t => t.Contains("cref=", StringComparison.Ordinal));
    }
}
