using Xunit.Abstractions;

namespace RnnGen.Tests.Datasets;

/// <summary>The space-restoration tagging corpus, on hand-made documentation and on the SDK's own.</summary>
public sealed class SpaceRestorationCorpusTests(ITestOutputHelper output) : IDisposable
{
    private readonly DocumentationFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("Gets the value.", "Getsthevalue.", "0001001000000")]
    [InlineData("a b", "ab", "10")]
    [InlineData(" a  b ", "ab", "10")]
    [InlineData("word", "word", "0000")]
    public void A_tag_marks_a_character_that_a_space_followed(string line, string text, string tags)
    {
        var (actualText, actualTags) = SpaceRestorationCorpus.FromLine(line);
        Assert.Equal(text, actualText);
        Assert.Equal(tags.Select(c => c - '0').ToArray(), actualTags);
        Assert.Equal(line.Trim().Replace("  ", " ", StringComparison.Ordinal), SpaceRestorationCorpus.Restore(actualText, actualTags));
    }

    [Fact]
    public void Lines_are_windows_of_whole_words_that_fit()
    {
        _folder.Write("A.xml", """
            <member name="T:N.A"><summary>Represents the first paragraph of this small documentation file.</summary></member>
            <member name="T:N.B"><summary>Gets or sets the second paragraph, which is a little longer than the first one was.</summary></member>
            <member name="T:N.C"><summary>Provides a third paragraph so that there is something to choose from.</summary></member>
            """);
        string[] paragraphs = SdkDocumentationCorpus.Build(directory: _folder.Path).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        var (texts, tags) = SpaceRestorationCorpus.Load(count: 10, maxLength: 20, seed: 1, directory: _folder.Path);

        Assert.Equal(3, texts.Count); // one line per paragraph
        for (int i = 0; i < texts.Count; i++)
        {
            Assert.InRange(texts[i].Length, 2, 20);
            Assert.DoesNotContain(' ', texts[i]);
            Assert.Equal(texts[i].Length, tags[i].Length);
            Assert.Equal(0, tags[i][^1]);
            string line = SpaceRestorationCorpus.Restore(texts[i], tags[i]);
            Assert.Contains(paragraphs, p => (" " + p + " ").Contains(" " + line + " ", StringComparison.Ordinal));
        }
        Assert.Equal(texts, SpaceRestorationCorpus.Load(10, 20, 1, _folder.Path).Texts);
    }

    [Fact]
    public void Missing_documentation_is_named_in_the_error()
    {
        var empty = Assert.Throws<FileNotFoundException>(() => SpaceRestorationCorpus.Load(10, 40, 1, _folder.Path));
        Assert.Contains(_folder.Path, empty.Message, StringComparison.Ordinal);

        _folder.Write("A.xml", """<member name="T:N.Short"><summary>Tiny.</summary></member>""");
        var none = Assert.Throws<InvalidDataException>(() => SpaceRestorationCorpus.Load(10, 40, 1, _folder.Path));
        Assert.Contains("prose paragraph", none.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sdk_documentation_gives_the_lines_asked_for()
    {
        if (SdkDocumentationCorpus.FindReferencePackDirectory() is null)
        {
            output.WriteLine("No SDK reference pack found: nothing to check.");
            return;
        }
        var (texts, tags) = SpaceRestorationCorpus.Load(count: 500, maxLength: 60, seed: 1);

        Assert.Equal(500, texts.Count);
        Assert.All(texts, t => Assert.InRange(t.Length, 2, 60));
        double spaces = tags.SelectMany(t => t).Average();
        output.WriteLine($"mean length {texts.Average(t => t.Length):F1}, {spaces:P1} of characters precede a space; e.g. {texts[0]}");
        Assert.InRange(spaces, 0.1, 0.25); // English words run five or six letters
    }
}
