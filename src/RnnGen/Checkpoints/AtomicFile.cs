using System.Text;

namespace RnnGen.Checkpoints;

/// <summary>
/// Writes a file whole or not at all: a temporary beside it (<c>.NAME.GUID.tmp</c>), flushed to disk, then renamed
/// over it, so a kill or a full disk leaves the previous version as it was. Checkpoints (<see cref="SafeTensors"/>)
/// and an application's own small files (a run's settings, its vocabulary) go through the same steps and the same
/// file-system seam, which the fault-injection tests fail at every operation in turn.
/// </summary>
public static class AtomicFile
{
    // AsyncLocal, not ThreadStatic: the hook follows the flow that set it into the threads and tasks it starts (a CLI
    // trains on a worker thread of its progress display), and stays out of tests running beside it.
    private static readonly AsyncLocal<CheckpointFileSystem?> s_fileSystem = new();

    /// <summary>Test hook: the file operations of writes in this flow of execution (null: the real file system).</summary>
    internal static CheckpointFileSystem? FileSystemForTesting
    {
        get => s_fileSystem.Value;
        set => s_fileSystem.Value = value;
    }

    private static CheckpointFileSystem FileSystem => FileSystemForTesting ?? CheckpointFileSystem.Real;

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte-order mark) to <paramref name="path"/>, whole or not at all.</summary>
    public static void WriteAllText(string path, string text)
    {
        byte[] bytes = new UTF8Encoding(false).GetBytes(text);
        Write(path, bytes.Length, (fs, stream) => fs.Write(stream, bytes));
    }

    /// <summary>
    /// The end of <paramref name="path"/> open for appending, through the same seam: for a log that grows a line at a
    /// time (a loss curve), whose earlier lines a failure leaves as they were.
    /// </summary>
    public static Stream OpenAppend(string path) => FileSystem.OpenAppend(path);

    /// <summary>
    /// The steps of an atomic write: <paramref name="body"/> writes the temporary, which is then flushed to disk,
    /// closed, shown to <paramref name="beforeCommit"/> (a test hook) and renamed over <paramref name="path"/>. On any
    /// failure the temporary is deleted and the exception goes to the caller.
    /// </summary>
    internal static void Write(string path, int bufferSize, Action<CheckpointFileSystem, Stream> body, Action<string>? beforeCommit = null)
    {
        string fullPath = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(fullPath)!, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        var fs = FileSystem;
        Stream? stream = null;
        try
        {
            stream = fs.CreateTemporary(temporary, Math.Max(bufferSize, 1));
            body(fs, stream);
            fs.Flush(stream);
            Stream open = stream;
            stream = null;
            fs.Close(open);
            beforeCommit?.Invoke(temporary);
            fs.Move(temporary, fullPath);
        }
        catch
        {
            if (stream is not null) { try { stream.Dispose(); } catch (IOException) { } }
            try { fs.Delete(temporary); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }
}
