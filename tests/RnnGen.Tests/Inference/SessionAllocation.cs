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
        // Warm up until a round allocates nothing anywhere (as AllocationTests: a worker the OS did not schedule
        // during the first rounds may take its first part, and grow its buffers, later).
        for (int i = 0; i < 30; i++)
        {
            long callerBefore = GC.GetAllocatedBytesForCurrentThread(), workersBefore = GemmParallel.WorkerAllocatedBytes;
            Steps();
            if (i >= 1 && GC.GetAllocatedBytesForCurrentThread() == callerBefore && GemmParallel.WorkerAllocatedBytes == workersBefore)
                break;
        }

        long before = GC.GetAllocatedBytesForCurrentThread(), workers = GemmParallel.WorkerAllocatedBytes;
        for (int i = 0; i < 5; i++) Steps();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(0, GemmParallel.WorkerAllocatedBytes - workers);
    }
}
