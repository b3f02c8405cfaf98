using RnnGen.Tests.Cells;

namespace RnnGen.Tests.Inference;

/// <summary>
/// A session gives the same bits on any number of threads (forced above this machine's cores). Runs alone, in the
/// collection of <see cref="RowSplitTests"/>, since it changes the global setting.
/// </summary>
[Collection(nameof(RowSplitTests))]
public class SessionThreadCountTests
{
    [Theory]
    [InlineData("wide-gru", 1)] // the recurrent and output products split by columns
    [InlineData("wide-gru", 12)] // the batch split by rows, or each step's passes shared
    [InlineData("two-state", 11)]
    public void A_session_gives_the_same_bits_on_any_thread_count(string name, int batch)
    {
        const int steps = 6;
        var model = SessionFixtures.Create(name, vocab: 60);
        var tokens = SessionFixtures.Tokens(model.VocabSize, batch, steps, seed: 21);
        int saved = Parallelism.MaxThreads;
        try
        {
            float[]? first = null;
            foreach (int threads in new[] { 1, 2, 3, 4, 8 })
            {
                Parallelism.MaxThreads = threads;
                using var session = model.CreateSession(batch);
                var logits = SessionFixtures.Session(session, tokens, batch, steps);
                if (first is null) first = logits;
                else Assert.Equal(first, logits);
            }
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
    }
}
