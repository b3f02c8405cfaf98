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
        SessionAllocation.AssertStepsAllocateNothing(session, model.VocabSize);
    }
}
