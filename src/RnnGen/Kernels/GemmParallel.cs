using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace RnnGen.Kernels;

/// <summary>
/// A small pool of persistent worker threads that run the parts of one split product. The caller runs
/// part 0 itself and waits for the rest. Nothing is allocated per call: the work is a cached delegate
/// reading its arguments from static fields, and the workers are woken through semaphores. After a job a
/// worker spins briefly before sleeping, so the per-time-step products of a recurrence find it awake.
/// One product at a time uses the pool; a concurrent caller simply runs single-threaded.
/// </summary>
internal static class GemmParallel
{
    private static readonly Lock s_gate = new();
    private static Worker[] s_workers = [];
    private static Action<int>? s_body;
    private static int s_pending;
    private static Exception? s_error;

    /// <summary>How long an idle worker keeps polling before it blocks: about one recurrent time step.</summary>
    private static readonly long s_spinTicks = Stopwatch.Frequency / 10_000; // 100 µs

    /// <summary>
    /// Takes the pool for one job; false when another product holds it, or when this thread already does (a part
    /// of a split calling a product that would split again): the lock is reentrant, the job fields are not.
    /// </summary>
    public static bool TryEnter() => !s_gate.IsHeldByCurrentThread && s_gate.TryEnter();

    public static void Exit() => s_gate.Exit();

    /// <summary>
    /// Runs body(0) .. body(parts - 1) concurrently; the pool must be held. Parts are claimed, not assigned:
    /// the caller starts with part 0 and then takes any part no worker has started, so a worker that the OS
    /// has not scheduled yet (other processes busy on the other core) costs nothing but the wake-up.
    /// </summary>
    public static void Run(int parts, Action<int> body)
    {
        JobsRun++;
        EnsureWorkers(parts - 1);
        s_body = body;
        s_error = null;
        Volatile.Write(ref s_pending, parts - 1);
        // Published last: a claim made against it also sees the body above.
        Interlocked.Exchange(ref s_claims, (long)parts << 32 | 1);
        for (int w = 0; w < parts - 1; w++)
            s_workers[w].Wake.Release();
        try
        {
            body(0);
            while (TryClaim(0, out int part))
            {
                try { body(part); }
                finally { Interlocked.Decrement(ref s_pending); }
            }
        }
        finally
        {
            WaitForWorkers();
        }
        if (s_error is { } error)
            ExceptionDispatchInfo.Throw(error);
    }

    /// <summary>Spins until every worker's part of the current job is done: the workers hold pointers into the
    /// caller's pinned operands, so a job never returns before they finish.</summary>
    private static void WaitForWorkers()
    {
        SpinWait spin = default;
        while (Volatile.Read(ref s_pending) != 0)
            spin.SpinOnce(sleep1Threshold: -1);
    }

    /// <summary>
    /// Runs body(0) .. body(parts - 1) with part p bound to participant p (0: the caller; p: worker p); the pool
    /// must be held. Repeated jobs of the same parts thus give each thread the same part, so the data that part
    /// reads (a block of weights) stays in that thread's core's cache from one call to the next. The caller runs
    /// part 0, then takes any part whose worker has not started it yet (a worker the OS has not scheduled): the
    /// results are the same either way, only that call loses the cache.
    /// </summary>
    public static void RunBound(int parts, Action<int> body)
    {
        if (parts > MaxBoundParts)
            throw new ArgumentOutOfRangeException(nameof(parts), parts, $"At most {MaxBoundParts} bound parts.");
        JobsRun++;
        EnsureWorkers(parts - 1);
        EnsureBoundClaims(parts);
        s_body = body;
        s_error = null;
        Volatile.Write(ref s_pending, parts - 1);
        long job = ++s_boundJobs;
        // Published last: a claim made against it also sees the body above.
        Interlocked.Exchange(ref s_bound, job << 16 | (uint)parts);
        for (int w = 0; w < parts - 1; w++)
            s_workers[w].Wake.Release();
        try
        {
            body(0);
            for (int part = 1; part < parts; part++)
            {
                if (!TryClaimBound(part, job))
                    continue;
                try { body(part); }
                finally { Interlocked.Decrement(ref s_pending); }
            }
        }
        finally
        {
            WaitForWorkers();
        }
        if (s_error is { } error)
            ExceptionDispatchInfo.Throw(error);
    }

    /// <summary>The most parts of a bound job: the low 16 bits of <see cref="s_bound"/>.</summary>
    internal const int MaxBoundParts = ushort.MaxValue;

    /// <summary>Bound jobs started so far (under the lock): the number of the current one.</summary>
    private static long s_boundJobs;

    /// <summary>The current bound job: its number in the high 48 bits, its parts in the low 16.</summary>
    private static long s_bound;

    /// <summary>
    /// Per part, the number of the last bound job in which it was claimed. Job numbers only grow, so a claim is
    /// a compare-exchange from a smaller number to the job's: a worker that wakes late, with the number of a job
    /// already finished (all its parts claimed), always fails, and can never run a part of a later job twice.
    /// </summary>
    private static long[] s_boundClaims = [];

    private static void EnsureBoundClaims(int parts)
    {
        if (s_boundClaims.Length >= parts)
            return;
        // Between jobs (the lock is held and the last job finished), so every copied number is final.
        var claims = new long[parts];
        Array.Copy(s_boundClaims, claims, s_boundClaims.Length);
        Volatile.Write(ref s_boundClaims, claims);
    }

    private static bool TryClaimBound(int part, long job)
    {
        ref long claim = ref Volatile.Read(ref s_boundClaims)[part];
        long last = Volatile.Read(ref claim);
        return last < job && Interlocked.CompareExchange(ref claim, job, last) == last;
    }

    /// <summary>Claims the worker's own part of the current bound job, if it has one that nobody took yet.</summary>
    private static bool TryClaimOwnBound(int participant)
    {
        long bound = Volatile.Read(ref s_bound);
        int parts = (int)(bound & 0xFFFF);
        return participant < parts && TryClaimBound(participant, bound >> 16);
    }

    /// <summary>
    /// The parts of the current job in the high half, the next unclaimed part in the low half: a claim is one
    /// compare-exchange against both, so a worker that wakes late (after its job was finished by the caller)
    /// can never run a part of a later job twice.
    /// </summary>
    private static long s_claims;

    /// <summary>
    /// Claims the next part of the current job for <paramref name="participant"/> (0: the caller; worker n: n).
    /// A worker takes part only in a job of more parts than its number, the jobs that woke it: one woken for an
    /// earlier, wider split (more threads then) that runs late stays out of a narrower one, so a job's parts run
    /// on the threads it asked for and no other thread meets its code for the first time there.
    /// </summary>
    private static bool TryClaim(int participant, out int part)
    {
        while (true)
        {
            long claim = Volatile.Read(ref s_claims);
            int parts = (int)(claim >> 32);
            part = (int)claim;
            if (part >= parts || participant >= parts)
                return false;
            if (Interlocked.CompareExchange(ref s_claims, claim + 1, claim) == claim)
                return true;
        }
    }

    /// <summary>Jobs handed to the pool so far (counted under its lock): lets tests check that a split really ran in parallel.</summary>
    internal static long JobsRun { get; private set; }

    /// <summary>Bytes the workers have allocated so far (as of their last finished job): lets tests check that
    /// the threads doing the work allocate nothing without counting the rest of the process.</summary>
    internal static long WorkerAllocatedBytes
    {
        get
        {
            long sum = 0;
            foreach (var w in s_workers) sum += Volatile.Read(ref w.AllocatedBytes);
            return sum;
        }
    }

    private static void EnsureWorkers(int count)
    {
        if (s_workers.Length >= count)
            return;
        var workers = new Worker[count];
        Array.Copy(s_workers, workers, s_workers.Length);
        for (int i = s_workers.Length; i < count; i++)
            workers[i] = new Worker(i + 1);
        s_workers = workers;
    }

    private sealed class Worker
    {
        public readonly SemaphoreSlim Wake = new(0);
        public long AllocatedBytes;

        private readonly int _number;

        public Worker(int number)
        {
            _number = number;
            var thread = new Thread(Loop) { IsBackground = true, Name = $"RnnGen GEMM worker {number}" };
            thread.Start();
            // Returns once the worker holds its buffers, so what it allocates from here on is the work's alone.
            _ready.Wait();
        }

        private readonly ManualResetEventSlim _ready = new();

        private void Loop()
        {
            GemmDriver.ReserveBuffers();
            Volatile.Write(ref AllocatedBytes, GC.GetAllocatedBytesForCurrentThread());
            _ready.Set();
            while (true)
            {
                long until = Stopwatch.GetTimestamp() + s_spinTicks;
                while (Wake.CurrentCount == 0 && Stopwatch.GetTimestamp() < until)
                    Thread.SpinWait(8);
                Wake.Wait();
                if (TryClaimOwnBound(_number))
                    RunPart(_number);
                while (TryClaim(_number, out int part))
                    RunPart(part);
            }
        }

        private void RunPart(int part)
        {
            try
            {
                s_body!(part);
            }
            catch (Exception e)
            {
                s_error = e;
            }
            finally
            {
                Volatile.Write(ref AllocatedBytes, GC.GetAllocatedBytesForCurrentThread());
                Interlocked.Decrement(ref s_pending);
            }
        }
    }
}
