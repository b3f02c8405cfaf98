namespace RnnGen.Checkpoints;

/// <summary>
/// The file operations of an atomic write (<see cref="AtomicFile"/>: checkpoints and a run's own files), in one
/// place: create the temporary file, write to it, flush it to disk, move it over the target, delete it after a
/// failure; and opening a file to append to it. The default is the real file system; tests replace it (see
/// <see cref="AtomicFile.FileSystemForTesting"/>) with one that fails at a chosen operation, to check that every
/// failure leaves the previous file intact and no temporary file behind.
/// </summary>
internal class CheckpointFileSystem
{
    public static readonly CheckpointFileSystem Real = new();

    public virtual Stream CreateTemporary(string path, int bufferSize) =>
        new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize);

    public virtual void Write(Stream stream, ReadOnlySpan<byte> bytes) => stream.Write(bytes);

    public virtual void Flush(Stream stream) => ((FileStream)stream).Flush(flushToDisk: true);

    /// <summary>Closes the stream (which may write what it still buffers).</summary>
    public virtual void Close(Stream stream) => stream.Dispose();

    public virtual void Move(string from, string to) => File.Move(from, to, overwrite: true);

    public virtual void Delete(string path) => File.Delete(path);

    /// <summary>The end of <paramref name="path"/> (created when missing), open for writing.</summary>
    public virtual Stream OpenAppend(string path) => new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
}
