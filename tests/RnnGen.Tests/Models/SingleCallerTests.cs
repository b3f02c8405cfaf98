namespace RnnGen.Tests.Models;

public class SingleCallerTests
{
    private static TokenBatch Batch(int vocab, int seed)
    {
        var random = new Random(seed);
        int rows = 4, steps = 8;
        return new TokenBatch(Enumerable.Range(0, rows * steps).Select(_ => random.Next(vocab)).ToArray(),
            Enumerable.Range(0, rows * steps).Select(_ => random.Next(vocab)).ToArray(), rows, steps);
    }

    [Fact]
    public void A_call_while_another_is_in_progress_throws_a_clear_error_and_the_model_works_afterwards()
    {
        var model = new StackedModel(20, seed: 1) { Training = false };
        var batch = Batch(20, 2);
        float expected = model.Loss(batch);
        using (model.Caller.Enter())
        {
            var e = Assert.Throws<InvalidOperationException>(() => model.Loss(batch));
            Assert.Contains("already running a step on another thread", e.Message);
            Assert.Contains("StackedModel", e.Message);
            Assert.Throws<InvalidOperationException>(() => model.ForwardBackward(batch));
            Assert.Throws<InvalidOperationException>(() => model.Logits(batch));
            Assert.Throws<InvalidOperationException>(() => model.Generate(Vocabulary.Characters("abcdefghijklmnopqrst"), "ab", 3, seed: 1));
        }
        Assert.False(model.Caller.Busy);
        Assert.Equal(expected, model.Loss(batch));
    }

    [Fact]
    public void A_failing_call_releases_the_model()
    {
        var model = new StackedModel(20, seed: 1);
        Assert.ThrowsAny<ArgumentException>(() => model.Loss(null!));
        Assert.False(model.Caller.Busy);
    }

    [Fact]
    public void Two_threads_sharing_a_model_get_either_the_right_loss_or_the_clear_error_never_anything_else()
    {
        var model = new StackedModel(20, seed: 1) { Training = false };
        var batch = Batch(20, 3);
        float expected = model.Loss(batch);
        int refused = 0, succeeded = 0;
        var unexpected = new System.Collections.Concurrent.ConcurrentBag<string>();
        using var start = new Barrier(2);
        void Work()
        {
            start.SignalAndWait();
            for (int i = 0; i < 300; i++)
            {
                try
                {
                    float loss = model.Loss(batch);
                    if (loss != expected) unexpected.Add($"loss {loss}, expected {expected}");
                    else Interlocked.Increment(ref succeeded);
                }
                catch (InvalidOperationException e) when (e.Message.Contains("serves one caller at a time"))
                {
                    Interlocked.Increment(ref refused);
                }
                catch (Exception e)
                {
                    unexpected.Add(e.ToString());
                }
            }
        }
        var threads = new[] { new Thread(Work), new Thread(Work) };
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        Assert.Empty(unexpected);
        Assert.Equal(600, refused + succeeded);
        Assert.True(succeeded > 0);
    }
}
