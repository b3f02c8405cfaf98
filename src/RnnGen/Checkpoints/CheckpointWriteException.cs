namespace RnnGen.Checkpoints;

/// <summary>
/// A trainer could not write a checkpoint (disk full, permissions, an I/O error). The write is atomic, so the file
/// it was replacing, and every other checkpoint, is left as it was; the message names the file and the last good
/// checkpoint, e.g. <c>could not write 'best.safetensors' (No space left on device); the last good checkpoint is 'last.safetensors'</c>.
/// The original error is the <see cref="Exception.InnerException"/>.
/// </summary>
public sealed class CheckpointWriteException : IOException
{
    public CheckpointWriteException(string path, string? lastGoodCheckpoint, Exception innerException)
        : base($"Could not write the checkpoint '{path}' ({innerException.Message}); " +
               (lastGoodCheckpoint is null ? "no checkpoint has been written yet." : $"the last good checkpoint is '{lastGoodCheckpoint}'."),
               innerException)
    {
        FilePath = path;
        LastGoodCheckpoint = lastGoodCheckpoint;
    }

    /// <summary>The checkpoint that could not be written.</summary>
    public string FilePath { get; }

    /// <summary>The last checkpoint written whole (null when none was), which still loads.</summary>
    public string? LastGoodCheckpoint { get; }
}
