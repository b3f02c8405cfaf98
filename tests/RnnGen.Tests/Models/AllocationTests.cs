using RnnGen.Kernels;

namespace RnnGen.Tests.Models;

/// <summary>Runs alone: the worker threads are shared, and other tests' first calls (JIT, static set-up) allocate on them.</summary>
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public class AllocationCollection;

[Collection(nameof(AllocationTests))]
public class AllocationTests
{
    [Theory]
    [InlineData("small")]
    [InlineData("large")]
    [InlineData("linear")]
    public void A_training_step_allocates_nothing_after_warm_up(string name)
    {
        // The large model's products are big enough to be split over both cores, so the workers are counted too; the
        // linear model's scans and passes over every step (32 x 48 rows) are shared too.
        bool large = name != "small";
        LanguageModel model = name switch
        {
            "small" => new StackedModel(40, seed: 1),
            "large" => new TinyLstmModel(300, seed: 1),
            _ => new LinearStackModel(300, seed: 1),
        };
        int batchSize = large ? 32 : 4, steps = large ? 48 : 8, vocab = model.VocabSize;
        var random = new Random(1);
        var batch = new TokenBatch(Enumerable.Range(0, batchSize * steps).Select(_ => random.Next(vocab)).ToArray(),
            Enumerable.Range(0, batchSize * steps).Select(_ => random.Next(vocab)).ToArray(), batchSize, steps);
        var adam = new Adam(1e-3f);
        var state = model.CreateState(batchSize);
        void Step()
        {
            model.ForwardBackward(batch, state);
            GradientClipping.ClipGlobalNorm(model.Parameters, 1f);
            adam.Step(model.Parameters);
        }
        var (allocated, workers) = WarmAllocation.After(Step);
        Assert.Equal(0, allocated);
        Assert.Equal(0, workers);
    }
}
