namespace CharLm;

/// <summary>An error the user can fix; printed as one line without a stack trace.</summary>
public sealed class CliException(string message, int exitCode = ExitCodes.Error) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

public static class ExitCodes
{
    public const int Success = 0;
    /// <summary>Something the run needed is missing or wrong: a file, a corpus, a checkpoint.</summary>
    public const int Error = 1;
    /// <summary>The command line itself is wrong: an unknown option or a bad value.</summary>
    public const int Usage = 2;
    /// <summary>Stopped by Ctrl+C after saving a checkpoint (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
