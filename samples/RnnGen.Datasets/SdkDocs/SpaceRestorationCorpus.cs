using System.Text;

namespace RnnGen.Datasets;

/// <summary>
/// A character-tagging task on the SDK's documentation prose: the spaces of a line are removed, and each
/// remaining character is tagged 1 when a space followed it in the original line, else 0
/// (<c>"Gets the value."</c> → <c>"Getsthevalue."</c>, tags <c>0001001000000</c>). A tagger that restores the
/// spaces has to know where words end, which needs the characters before and, for a one-directional model, the
/// ones it has read so far.
/// </summary>
/// <remarks>
/// Lines are windows of whole words out of the paragraphs of <see cref="SdkDocumentationCorpus"/>. The last
/// character of a window is always tagged 0: what followed it lies outside the text the model is given.
/// </remarks>
public static class SpaceRestorationCorpus
{
    /// <summary>
    /// Up to <paramref name="count"/> lines, one from each of as many distinct paragraphs drawn at random (seeded):
    /// a window of consecutive whole words, as many as fit in <paramref name="maxLength"/> characters once the
    /// spaces are gone, at a random place in the paragraph. Windows of a single word are skipped, so a small folder
    /// of documentation can give fewer than <paramref name="count"/> lines.
    /// </summary>
    /// <param name="count">The most lines returned.</param>
    /// <param name="maxLength">The longest text (without spaces), in characters.</param>
    /// <param name="seed">Seed of the draw.</param>
    /// <param name="directory">Folder of <c>*.xml</c> documentation files; default: the SDK's reference pack.</param>
    /// <exception cref="FileNotFoundException">No reference pack was found, or <paramref name="directory"/> has no <c>*.xml</c> files.</exception>
    /// <exception cref="InvalidDataException">The files have no prose paragraph of two words that fit.</exception>
    public static (List<string> Texts, List<int[]> Tags) Load(int count, int maxLength, int seed, string? directory = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 2);
        var files = SdkFiles.DocumentationFiles(directory);
        var paragraphs = SdkDocumentationCorpus.EnumerateParagraphs(files).ToList();
        var random = new Random(seed);
        SdkFiles.Shuffle(paragraphs, random);
        var texts = new List<string>(count);
        var tags = new List<int[]>(count);
        foreach (string paragraph in paragraphs)
        {
            if (texts.Count == count)
            {
                break;
            }
            if (Window(paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries), maxLength, random) is { } line)
            {
                var (text, lineTags) = FromLine(line);
                texts.Add(text);
                tags.Add(lineTags);
            }
        }
        if (texts.Count == 0 && count > 0)
        {
            throw new InvalidDataException(
                $"The {files.Count} *.xml files of {SdkFiles.FolderOf(files, directory)} have no prose paragraph with two words in {maxLength} characters.");
        }
        return (texts, tags);
    }

    /// <summary>A line with its spaces removed, and the tag of each remaining character (1: a space followed it).</summary>
    public static (string Text, int[] Tags) FromLine(string line)
    {
        var text = new StringBuilder(line.Length);
        var tags = new List<int>(line.Length);
        foreach (char c in line)
        {
            if (c == ' ')
            {
                if (tags.Count > 0)
                {
                    tags[^1] = 1; // a leading space follows nothing; a run of spaces counts once
                }
                continue;
            }
            text.Append(c);
            tags.Add(0);
        }
        if (line.EndsWith(' ') && tags.Count > 0)
        {
            tags[^1] = 0; // nothing follows the last character inside the text
        }
        return (text.ToString(), tags.ToArray());
    }

    /// <summary>The line back from its text and tags (or a model's predicted tags): a space after each character tagged 1 but the last.</summary>
    public static string Restore(string text, IReadOnlyList<int> tags)
    {
        if (tags.Count != text.Length)
        {
            throw new ArgumentException($"{tags.Count} tags for {text.Length} characters.", nameof(tags));
        }
        var line = new StringBuilder(text.Length * 6 / 5);
        for (int i = 0; i < text.Length; i++)
        {
            line.Append(text[i]);
            if (tags[i] == 1 && i + 1 < text.Length)
            {
                line.Append(' ');
            }
        }
        return line.ToString();
    }

    // Consecutive words around a random one, as many as fit in maxLength characters without spaces; null when fewer than two fit.
    private static string? Window(string[] words, int maxLength, Random random)
    {
        if (words.Length < 2)
        {
            return null;
        }
        int start = random.Next(words.Length), end = start; // words[start..end)
        int length = 0;
        while (end < words.Length && length + words[end].Length <= maxLength)
        {
            length += words[end++].Length;
        }
        while (start > 0 && length + words[start - 1].Length <= maxLength)
        {
            length += words[--start].Length;
        }
        return end - start >= 2 ? string.Join(' ', words[start..end]) : null;
    }
}
