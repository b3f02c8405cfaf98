using System.Diagnostics;

namespace RnnGen.Tests;

/// <summary>
/// What every "allocates nothing once warm" test shares: run a round of work until it is warm, then count what a few
/// more rounds allocate on the calling thread and on the pool's workers (the threads doing the work; the rest of the
/// test host allocates on its own schedule).
/// </summary>
internal static class WarmAllocation
{
    /// <summary>
    /// Bytes allocated by <paramref name="rounds"/> rounds after the warm-up, on the caller and on the workers. The
    /// warm-up runs until three rounds in a row allocate nothing anywhere, and for a second at least: on a loaded
    /// machine a worker the OS did not schedule runs its first part (and compiles its code) only in a later round, and
    /// the JIT's tiering promotes methods only after 100 ms without new compilations.
    /// </summary>
    public static (long Caller, long Workers) After(Action round, int rounds = 5)
    {
        var warm = Stopwatch.StartNew();
        for (int i = 0, clean = 0; i < 2000 && (clean < 3 || warm.Elapsed.TotalSeconds < 1); i++)
        {
            long callerBefore = GC.GetAllocatedBytesForCurrentThread(), workersBefore = GemmParallel.WorkerAllocatedBytes;
            round();
            bool quiet = GC.GetAllocatedBytesForCurrentThread() == callerBefore && GemmParallel.WorkerAllocatedBytes == workersBefore;
            clean = i >= 1 && quiet ? clean + 1 : 0;
        }
        long caller = GC.GetAllocatedBytesForCurrentThread(), workers = GemmParallel.WorkerAllocatedBytes;
        for (int i = 0; i < rounds; i++) round();
        return (GC.GetAllocatedBytesForCurrentThread() - caller, GemmParallel.WorkerAllocatedBytes - workers);
    }
}
