namespace CharLm;

/// <summary>
/// Where the CLI writes a run's own files (run.json, vocab.json, loss.csv; checkpoints go through SafeTensors' own
/// seam). One place, so that the fault-injection tests can fail any write the way a full or broken disk would.
/// </summary>
internal class RunFiles
{
    public static readonly RunFiles Real = new();
    // AsyncLocal, not ThreadStatic: training runs on a worker thread of the progress display, which inherits it.
    private static readonly AsyncLocal<RunFiles?> s_testing = new();

    public static RunFiles Current => s_testing.Value ?? Real;

    /// <summary>Replaces the real file system for the calling flow of execution (tests only).</summary>
    internal static RunFiles? ForTesting
    {
        get => s_testing.Value;
        set => s_testing.Value = value;
    }

    /// <summary>A new file (<paramref name="append"/>: the end of an existing one) open for writing.</summary>
    public virtual Stream Open(string path, bool append) =>
        new FileStream(path, append ? FileMode.Append : FileMode.CreateNew, FileAccess.Write, FileShare.Read);

    /// <summary>Makes what was written durable before a rename publishes it.</summary>
    public virtual void Flush(Stream stream)
    {
        if (stream is FileStream file) file.Flush(flushToDisk: true);
        else stream.Flush();
    }

    public virtual void Move(string from, string to) => File.Move(from, to, overwrite: true);
}
