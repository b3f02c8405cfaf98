namespace RnnGen.Tests.Inference;

/// <summary>What both allocation tests of sessions check: after warm-up, rounds of steps and a reset allocate nothing,
/// on the caller or on the pool's workers.</summary>
internal static class SessionAllocation
{
    public static void AssertStepsAllocateNothing(LanguageModelSession session, int vocabSize)
    {
        int batch = session.BatchSize;
        var tokens = SessionFixtures.Tokens(vocabSize, batch, 1, seed: 2);
        var logits = new float[batch * vocabSize];
        void Steps()
        {
            for (int i = 0; i < 10; i++)
            {
                session.Step(tokens, logits);
                tokens[0] = (tokens[0] + 1) % vocabSize;
            }
            session.Reset(batch - 1);
        }
        // Warm up until three rounds in a row allocate nothing anywhere (as AllocationTests: under load a worker the OS
        // did not schedule may leave its part to the caller, or take its first part, and grow its buffers, late).
        // And for a second at least: the JIT's tiering promotes methods only after 100 ms without new compilations.
        var warm = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0, clean = 0; i < 2000 && (clean < 3 || warm.Elapsed.TotalSeconds < 1); i++)
        {
            long callerBefore = GC.GetAllocatedBytesForCurrentThread(), workersBefore = GemmParallel.WorkerAllocatedBytes;
            Steps();
            bool quiet = GC.GetAllocatedBytesForCurrentThread() == callerBefore && GemmParallel.WorkerAllocatedBytes == workersBefore;
            clean = i >= 1 && quiet ? clean + 1 : 0;
        }

        long before = GC.GetAllocatedBytesForCurrentThread(), workers = GemmParallel.WorkerAllocatedBytes;
        for (int i = 0; i < 5; i++) Steps();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(0, GemmParallel.WorkerAllocatedBytes - workers);
    }
}
