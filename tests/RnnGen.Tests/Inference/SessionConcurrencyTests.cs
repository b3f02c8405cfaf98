namespace RnnGen.Tests.Inference;

/// <summary>Sessions over one model on many threads at once give, row for row, what the same sessions give one after another.</summary>
public class SessionConcurrencyTests
{
    private const int Sessions = 8, Batch = 3, Steps = 24;

    [Theory]
    [InlineData("lstm2")]
    [InlineData("two-state")]
    [InlineData("wide-gru")] // its batch-1 products are split over the threads when a session has the pool to itself
    public void Eight_sessions_on_eight_threads_give_the_bits_of_eight_sequential_runs(string name)
    {
        var model = SessionFixtures.Create(name, vocab: 40);
        var tokens = Enumerable.Range(0, Sessions).Select(i => SessionFixtures.Tokens(model.VocabSize, Batch, Steps, seed: 100 + i)).ToArray();

        var sequential = new float[Sessions][];
        for (int i = 0; i < Sessions; i++)
        {
            using var session = model.CreateSession(Batch);
            sequential[i] = Run(session, tokens[i]);
        }

        var concurrent = new float[Sessions][];
        var errors = new System.Collections.Concurrent.ConcurrentBag<Exception>();
        using var start = new Barrier(Sessions);
        var threads = Enumerable.Range(0, Sessions).Select(i => new Thread(() =>
        {
            try
            {
                using var session = model.CreateSession(Batch);
                start.SignalAndWait();
                concurrent[i] = Run(session, tokens[i]);
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
        // The sessions had different tokens: equal results are not one result copied.
        Assert.NotEqual(sequential[0], sequential[1]);
    }

    [Fact]
    public void A_session_busy_on_one_thread_refuses_another_with_a_clear_error_and_works_afterwards()
    {
        var model = SessionFixtures.Create("gru", vocab: 40);
        using var session = model.CreateSession(2);
        var logits = new float[2 * model.VocabSize];
        int[] tokens = [1, 2];
        using (session.Enter())
        {
            var e = Assert.Throws<InvalidOperationException>(() => session.Step(tokens, logits));
            Assert.Contains("serves one thread at a time", e.Message);
            Assert.Throws<InvalidOperationException>(() => session.Reset(0));
            Assert.Throws<InvalidOperationException>(() => session.Reset());
        }
        session.Step(tokens, logits);
        Assert.Equal(SessionFixtures.TokenByToken(model, tokens, 2, 1), logits);
    }

    /// <summary>Every step's logits, with row 1 restarted half-way: the concurrent runs exercise Reset too.</summary>
    private static float[] Run(LanguageModelSession session, int[] tokens)
    {
        int V = session.VocabSize;
        var logits = new float[Batch * V];
        var all = new float[Steps * Batch * V];
        for (int t = 0; t < Steps; t++)
        {
            if (t == Steps / 2) session.Reset(1);
            session.Step(SessionFixtures.Column(tokens, Batch, Steps, t), logits);
            logits.CopyTo(all, t * Batch * V);
        }
        return all;
    }
}
