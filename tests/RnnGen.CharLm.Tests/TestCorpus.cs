using System.Text;

namespace RnnGen.CharLm.Tests;

/// <summary>Temporary folders and a small made-up corpus for in-process runs of the CLI.</summary>
public sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "charlm-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

internal static class TestCorpus
{
    /// <summary>A few KB of repetitive made-up sentences: easy to learn, deterministic.</summary>
    public static string Text(int sentences = 150)
    {
        string[] subjects = ["the cat", "a dog", "the bird", "my fox"];
        string[] verbs = ["sat on", "ran to", "looked at", "jumped over"];
        string[] objects = ["the mat.", "a log.", "the hill.", "my hat."];
        var random = new Random(7);
        var text = new StringBuilder();
        for (int i = 0; i < sentences; i++)
        {
            text.Append(subjects[random.Next(4)]).Append(' ').Append(verbs[random.Next(4)]).Append(' ').Append(objects[random.Next(4)]);
            text.Append(i % 6 == 5 ? '\n' : ' ');
        }
        return text.ToString();
    }

    public static string Write(TempDir dir, string name = "corpus.txt", int sentences = 150)
    {
        string path = dir.File(name);
        System.IO.File.WriteAllText(path, Text(sentences));
        return path;
    }
}

/// <summary>Runs the CLI in-process and captures what it prints.</summary>
internal sealed record CliResult(int ExitCode, string Out, string Err);

internal static class CliRunner
{
    public static CliResult Run(params string[] args) => Run(args, default, null);

    public static CliResult Run(string[] args, CancellationToken cancellation, global::CharLm.CliHooks? hooks)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = global::CharLm.Cli.Run(args, output, error, cancellation, hooks);
        return new CliResult(code, output.ToString(), error.ToString());
    }
}
