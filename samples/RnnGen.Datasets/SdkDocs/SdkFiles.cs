namespace RnnGen.Datasets;

/// <summary>What the corpora built on the SDK's documentation files share: finding the files, and a seeded shuffle.</summary>
internal static class SdkFiles
{
    /// <summary>
    /// The <c>*.xml</c> files of <paramref name="directory"/> (default: the SDK's reference pack), sorted by name.
    /// </summary>
    /// <exception cref="FileNotFoundException">No reference pack was found, or the folder has no <c>*.xml</c> files;
    /// the message says where it looked.</exception>
    public static IReadOnlyList<string> DocumentationFiles(string? directory)
    {
        if (directory is not null && !Directory.Exists(directory))
        {
            throw new FileNotFoundException($"The documentation folder {directory} does not exist.");
        }
        var files = SdkDocumentationCorpus.EnumerateFiles(directory).ToList();
        if (files.Count == 0)
        {
            throw new FileNotFoundException(
                $"The documentation folder {directory ?? SdkDocumentationCorpus.FindReferencePackDirectory()} has no *.xml documentation files.");
        }
        return files;
    }

    /// <summary>The folder the files came from, for messages.</summary>
    public static string FolderOf(IReadOnlyList<string> files, string? directory) =>
        directory ?? Path.GetDirectoryName(files[0]) ?? "the reference pack";

    /// <summary>Fisher-Yates shuffle in place, drawing from <paramref name="random"/>.</summary>
    public static void Shuffle<T>(IList<T> items, Random random)
    {
        for (int i = items.Count - 1; i > 0; i--)
        {
            int j = random.Next(i + 1);
            (items[i], items[j]) = (items[j], items[i]);
        }
    }
}
