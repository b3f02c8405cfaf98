namespace RnnGen.Tests.Inference;

/// <summary>
/// int8 sessions over one model on eight threads at once give, row for row, what the same sessions give one after
/// another (each has its own copy of the weights and its own buffers; the pool serves one region at a time and the
/// others run their parts in turn, with the same bits).
/// </summary>
public class FusedConcurrencyTests
{
    private const int Sessions = 8, Batch = 2, Steps = 16;

    [Theory]
    [InlineData("fused-lstm", Precision.Int8)]
    [InlineData("wide-gru", Precision.Int8)]
    [InlineData("fused-custom", Precision.BFloat16)]
    public void Eight_quantized_sessions_on_eight_threads_give_the_bits_of_eight_sequential_runs(string name, Precision precision)
    {
        var model = FusedFixtures.Create(name, vocab: 40);
        var tokens = Enumerable.Range(0, Sessions).Select(i => SessionFixtures.Tokens(model.VocabSize, Batch, Steps, seed: 300 + i)).ToArray();

        var sequential = new float[Sessions][];
        for (int i = 0; i < Sessions; i++)
        {
            using var session = model.CreateSession(Batch, precision);
            sequential[i] = FusedFixtures.Run(session, tokens[i], Batch, Steps);
        }

        var concurrent = new float[Sessions][];
        var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        using var start = new Barrier(Sessions);
        var threads = Enumerable.Range(0, Sessions).Select(i => new Thread(() =>
        {
            try
            {
                using var session = model.CreateSession(Batch, precision);
                start.SignalAndWait();
                concurrent[i] = FusedFixtures.Run(session, tokens[i], Batch, Steps);
            }
            catch (Exception e)
            {
                errors.Add(e);
            }
        })).ToArray();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();

        Assert.Empty(errors);
        for (int i = 0; i < Sessions; i++)
            Assert.Equal(sequential[i], concurrent[i]);
        Assert.NotEqual(sequential[0], sequential[1]);
    }
}
