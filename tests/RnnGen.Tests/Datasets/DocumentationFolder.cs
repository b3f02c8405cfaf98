namespace RnnGen.Tests.Datasets;

/// <summary>A temporary folder of hand-made XML documentation files, removed afterwards.</summary>
internal sealed class DocumentationFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rnngen-docs-" + Guid.NewGuid().ToString("N"));

    public DocumentationFolder() => Directory.CreateDirectory(Path);

    /// <summary>Writes a documentation file whose members element holds <paramref name="members"/>.</summary>
    public void Write(string fileName, string members) =>
        File.WriteAllText(System.IO.Path.Combine(Path, fileName),
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<doc>\n  <assembly><name>Test</name></assembly>\n  <members>\n"
            + members + "\n  </members>\n</doc>\n");

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
