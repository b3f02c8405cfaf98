namespace RnnGen.Distributed;

/// <summary>
/// MPI is missing, or an MPI call failed: the message names the operation and this process's rank, and says
/// what it most likely means (another rank stopped) and what to do.
/// </summary>
public sealed class MpiException : Exception
{
    public MpiException(string message) : base(message) { }
    public MpiException(string message, Exception inner) : base(message, inner) { }
}
