namespace RnnGen.Tests.Inference;

/// <summary>After its first step a session allocates nothing, on the caller or on the workers that share its products.</summary>
[Collection(nameof(Models.AllocationTests))]
public class SessionAllocationTests
{
    [Theory]
    [InlineData("gru-mgu", 1)]
    [InlineData("two-state", 5)]
    [InlineData("wide-gru", 1)] // its recurrent product is split over the workers
    [InlineData("wide-gru", 12)] // its batch is split by rows, and its passes shared
    public void A_step_allocates_nothing_after_the_first(string name, int batch)
    {
        var model = SessionFixtures.Create(name, vocab: 50);
        using var session = model.CreateSession(batch);
        SessionAllocation.AssertStepsAllocateNothing(session, model.VocabSize);
    }

    [Fact]
    public void The_first_step_is_the_only_one_that_allocates_on_the_caller()
    {
        var model = SessionFixtures.Create("lstm2", vocab: 30);
        using var session = model.CreateSession(2);
        int[] tokens = [3, 4];
        var logits = new float[2 * model.VocabSize];
        session.Step(tokens, logits); // JIT, the cells' tapes
        session.Step(tokens, logits);
        long before = GC.GetAllocatedBytesForCurrentThread();
        session.Step(tokens, logits);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
