namespace RnnGen.Tests.Inference;

/// <summary>After its first steps a fused or quantized session allocates nothing, on the caller or on the workers.</summary>
[Collection(nameof(Models.AllocationTests))]
public class FusedAllocationTests
{
    [Theory]
    [InlineData("fused-lstm", Precision.Float32, 1)]
    [InlineData("wide-gru", Precision.Int8, 1)]
    [InlineData("wide-gru", Precision.BFloat16, 1)]
    [InlineData("fused-custom", Precision.Int8, 4)]
    public void A_step_allocates_nothing_after_the_first(string name, Precision precision, int batch)
    {
        var model = FusedFixtures.Create(name, vocab: 50);
        using var session = model.CreateSession(batch, precision, fused: true);
        var tokens = SessionFixtures.Tokens(model.VocabSize, batch, 1, seed: 2);
        var logits = new float[batch * model.VocabSize];
        void Steps()
        {
            for (int i = 0; i < 10; i++)
            {
                session.Step(tokens, logits);
                tokens[0] = (tokens[0] + 1) % model.VocabSize;
            }
            session.Reset(batch - 1);
        }
        // Warm up until a round allocates nothing anywhere (a worker the OS did not schedule during the first rounds
        // may take its first part, and grow its thread's input buffer, later).
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
