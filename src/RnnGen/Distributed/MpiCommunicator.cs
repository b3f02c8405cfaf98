using System.Runtime.InteropServices;

namespace RnnGen.Distributed;

/// <summary>
/// All the processes that <c>mpirun</c> started (MPI_COMM_WORLD), over Open MPI's <c>libmpi</c>. Errors come back
/// as <see cref="MpiException"/>s naming the operation and the rank (MPI_ERRORS_RETURN), not as an abort.
/// </summary>
/// <remarks>
/// When a rank dies, <c>mpirun</c> says which, and ends the others with SIGTERM (then SIGKILL). A rank that receives
/// SIGTERM while it waits in a collective writes why to stderr at once, since it may be killed before the call
/// returns: most likely another rank has stopped, and the last checkpoint on disk is whole (checkpoints are
/// written to a temporary file and renamed). A SIGTERM between calls is left to the program (the CLI saves and stops,
/// and every rank stops at the same step, see <see cref="Training.Trainer"/>).
/// </remarks>
public sealed unsafe class MpiCommunicator : ICommunicator, IDisposable
{
    private static readonly Lock Gate = new();
    private static MpiCommunicator? _world;
    private readonly MpiLibrary _mpi;
    private readonly PosixSignalRegistration? _terminate;
    private volatile string? _waitingIn;
    private bool _disposed;

    private MpiCommunicator(MpiLibrary mpi)
    {
        _mpi = mpi;
        int initialized = 0, provided = 0;
        Check(_mpi.Initialized(&initialized), "MPI_Initialized");
        if (initialized == 0) Check(_mpi.InitThread(null, null, MpiLibrary.ThreadSerialized, &provided), "MPI_Init_thread");
        Check(_mpi.CommSetErrhandler(_mpi.CommWorld, _mpi.ErrorsReturn), "MPI_Comm_set_errhandler");
        int rank = 0, size = 0;
        Check(_mpi.CommRank(_mpi.CommWorld, &rank), "MPI_Comm_rank");
        Check(_mpi.CommSize(_mpi.CommWorld, &size), "MPI_Comm_size");
        Rank = rank;
        Size = size;
        if (!OperatingSystem.IsWindows()) _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnTerminate);
    }

    /// <summary>
    /// The world of this job, starting MPI on first use; an <see cref="MpiException"/> naming what to install where
    /// Open MPI is missing. Outside <c>mpirun</c> it is a world of one.
    /// </summary>
    public static MpiCommunicator World
    {
        get
        {
            lock (Gate)
            {
                // MPI starts once per process: after MPI_Finalize it cannot be started again.
                if (_world is { _disposed: true })
                    throw new MpiException("MPI has already been ended in this process (MPI_Finalize) and cannot start again: train distributed once per process.");
                return _world ??= new MpiCommunicator(MpiLibrary.Load());
            }
        }
    }

    /// <summary>Whether this process was started by Open MPI's <c>mpirun</c> (its environment says so), without loading MPI.</summary>
    public static bool LaunchedByMpirun => Environment.GetEnvironmentVariable("OMPI_COMM_WORLD_SIZE") is not null
                                           || Environment.GetEnvironmentVariable("PMIX_RANK") is not null;

    public int Rank { get; }
    public int Size { get; }

    public void Broadcast(Span<float> values, int root)
    {
        Enter("MPI_Bcast");
        fixed (float* p = values) Leave(_mpi.Bcast(p, values.Length, _mpi.Float, root, _mpi.CommWorld), "MPI_Bcast");
    }

    public void Broadcast(Span<double> values, int root)
    {
        Enter("MPI_Bcast");
        fixed (double* p = values) Leave(_mpi.Bcast(p, values.Length, _mpi.Double, root, _mpi.CommWorld), "MPI_Bcast");
    }

    public void AllReduceSum(Span<double> values)
    {
        Enter("MPI_Allreduce");
        fixed (double* p = values) Leave(_mpi.Allreduce((void*)MpiLibrary.InPlace, p, values.Length, _mpi.Double, _mpi.Sum, _mpi.CommWorld), "MPI_Allreduce");
    }

    public void AllReduceSum(float[] values, ReadOnlySpan<Range> buckets)
    {
        ArgumentNullException.ThrowIfNull(values);
        var requests = buckets.Length <= 64 ? stackalloc nint[buckets.Length] : new nint[buckets.Length];
        fixed (float* p = values)
        fixed (nint* r = requests)
        {
            // Every bucket is started before the first is waited for: MPI may pipeline them.
            for (int i = 0; i < buckets.Length; i++)
            {
                var (offset, length) = buckets[i].GetOffsetAndLength(values.Length);
                Enter("MPI_Iallreduce");
                Leave(_mpi.Iallreduce((void*)MpiLibrary.InPlace, p + offset, length, _mpi.Float, _mpi.Sum, _mpi.CommWorld, r + i), "MPI_Iallreduce");
            }
            for (int i = 0; i < buckets.Length; i++)
            {
                Enter("MPI_Wait (the all-reduce of the gradients)");
                Leave(_mpi.Wait(r + i, null), "MPI_Wait (the all-reduce of the gradients)");
            }
        }
    }

    public void Barrier()
    {
        Enter("MPI_Barrier");
        Leave(_mpi.Barrier(_mpi.CommWorld), "MPI_Barrier");
    }

    /// <summary>Ends MPI for this process (every rank must, once training is over); later calls fail.</summary>
    public void Dispose()
    {
        lock (Gate)
        {
            if (_disposed) return;
            _disposed = true;
            _terminate?.Dispose();
            int finalized = 0;
            if (_mpi.Finalized(&finalized) == MpiLibrary.Success && finalized == 0) Check(_mpi.Finalize(), "MPI_Finalize");
        }
    }

    /// <summary>Marks this rank as waiting in a collective, for the SIGTERM message.</summary>
    private void Enter(string operation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _waitingIn = operation;
    }

    /// <summary>The collective has returned: a failure becomes an exception.</summary>
    private void Leave(int code, string operation)
    {
        _waitingIn = null;
        Check(code, operation);
    }

    private void Check(int code, string operation)
    {
        if (code != MpiLibrary.Success)
            throw new MpiException($"{operation} failed on rank {Rank} of {Size}: {_mpi.Describe(code)}. Another rank has most likely stopped " +
                                   "(mpirun's own message says which and why); the last checkpoint on disk is complete.");
    }

    private void OnTerminate(PosixSignalContext context)
    {
        if (_waitingIn is { } operation)
            Console.Error.WriteLine($"rank {Rank} of {Size}: SIGTERM while waiting in {operation} for the other ranks. If mpirun is ending the job because " +
                                    "another rank has stopped, mpirun says which and why; the last checkpoint on disk is complete (checkpoints are written atomically).");
    }
}
