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
        var (caller, workers) = WarmAllocation.After(Steps);
        Assert.Equal(0, caller);
        Assert.Equal(0, workers);
    }
}
