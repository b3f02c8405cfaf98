using System.Runtime.ExceptionServices;
using RnnGen.Distributed;

namespace CharLm.Commands;

/// <summary>
/// The processes of <c>mpirun -np N rnngen train --distributed</c>, or this process alone without the flag. Rank 0 owns
/// the run folder (lock, run.json, loss.csv, loss.png, samples) and the output; the others train in silence. What
/// rank 0 alone decides is sent to the others, so that no rank takes a branch the others do not.
/// </summary>
internal sealed class TrainRanks : IDisposable
{
    private TrainRanks(MpiCommunicator? world) => World = world;

    /// <summary>Starts MPI for <c>--distributed</c>; a missing Open MPI is a message naming what to install.</summary>
    public static TrainRanks Start(bool distributed)
    {
        if (!distributed) return new TrainRanks(null);
        try
        {
            return new TrainRanks(MpiCommunicator.World);
        }
        catch (MpiException e)
        {
            throw new CliException($"--distributed: {e.Message}", ExitCodes.Input, e);
        }
    }

    /// <summary>The ranks, or null for a single process.</summary>
    public MpiCommunicator? World { get; }
    public int Rank => World?.Rank ?? 0;
    public int Size => World?.Size ?? 1;
    /// <summary>Whether this process writes the run folder and the output: a single process, or rank 0.</summary>
    public bool Leads => Rank == 0;

    /// <summary>Rank 0's <paramref name="value"/> on every rank.</summary>
    public int Agree(int value)
    {
        if (World is null) return value;
        Span<double> v = [value];
        World.Broadcast(v, root: 0);
        return (int)v[0];
    }

    /// <summary>
    /// Runs <paramref name="action"/> on rank 0 alone and returns what it gives (null on the other ranks); when it
    /// fails, every rank stops (with rank 0's exit code).
    /// </summary>
    public T? OnRankZero<T>(Func<T> action) where T : class
    {
        Exception? failure = null;
        T? result = null;
        if (Leads)
        {
            try
            {
                result = action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        }
        int code = Agree(failure is null ? ExitCodes.Success : failure is CliException c ? c.ExitCode : ExitCodes.Internal);
        if (failure is not null) ExceptionDispatchInfo.Throw(failure);
        if (code != ExitCodes.Success) throw new CliException($"rank {Rank} of {Size} stops: rank 0 refused the run (its message says why)", code);
        return result;
    }

    /// <summary>Ends MPI on this rank (every rank does, once training is over).</summary>
    public void Dispose() => World?.Dispose();
}
