namespace RnnGen.Checkpoints;

/// <summary>
/// A checkpoint file that cannot be read or does not fit the model. The message starts with the file path,
/// then says what is wrong, e.g. <c>char.safetensors: tensor 'rnn.weight_ih_l0' needs 1536 bytes but the file ends after 1024</c>.
/// </summary>
public sealed class CheckpointException : IOException
{
    public CheckpointException(string path, string problem, Exception? innerException = null)
        : base($"{path}: {problem}", innerException)
    {
        FilePath = path;
        Problem = problem;
    }

    /// <summary>The checkpoint's path, as it was given.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Problem { get; }
}
