namespace CharLm;

/// <summary>An error the user can fix; printed as one line without a stack trace.</summary>
public sealed class CliException(string message, int exitCode = ExitCodes.Input, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>
/// A bug: an exception nothing expected. <see cref="Cli"/> prints it as an internal error, with what was saved
/// (<see cref="Saved"/>) and where to report it.
/// </summary>
public sealed class InternalErrorException(Exception inner, string? saved) : Exception(inner.Message, inner)
{
    public string? Saved { get; } = saved;
}

public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>The command line itself is wrong: an unknown option, a bad value, a run folder that needs --resume or --overwrite.</summary>
    public const int Usage = 2;
    /// <summary>Something the run reads is missing or wrong: a text file, a corpus, a checkpoint.</summary>
    public const int Input = 3;
    /// <summary>Writing failed: the --out folder cannot be created or written, the disk is full.</summary>
    public const int IO = 4;
    /// <summary>A bug in rnngen (EX_SOFTWARE).</summary>
    public const int Internal = 70;
    /// <summary>The --out folder is in use by another training run (EX_TEMPFAIL: try again later).</summary>
    public const int Busy = 75;
    /// <summary>Stopped by Ctrl+C after saving a checkpoint (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
    /// <summary>Stopped by SIGTERM after saving a checkpoint (128 + SIGTERM).</summary>
    public const int Terminated = 143;
}
