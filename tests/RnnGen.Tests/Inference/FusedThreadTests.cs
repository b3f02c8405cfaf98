using RnnGen.Tests.Cells;

namespace RnnGen.Tests.Inference;

/// <summary>
/// Fused and quantized sessions give the same bits on 1, 2, 3, 4 and 8 threads (forced above this machine's cores):
/// the parts change, each row's sums do not. Runs alone, in the collection of <see cref="RowSplitTests"/>, since it
/// changes the global setting.
/// </summary>
[Collection(nameof(RowSplitTests))]
public class FusedThreadTests
{
    public static TheoryData<string, Precision, int> Cases()
    {
        var data = new TheoryData<string, Precision, int>();
        foreach (var precision in new[] { Precision.Float32, Precision.BFloat16, Precision.Int8 })
        {
            data.Add("fused-lstm", precision, 1);
            data.Add("fused-custom", precision, 3);
            data.Add("wide-gru", precision, 1);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_fused_session_gives_the_same_bits_on_any_thread_count(string name, Precision precision, int batch)
    {
        const int steps = 8;
        var model = FusedFixtures.Create(name, vocab: 60);
        var tokens = SessionFixtures.Tokens(model.VocabSize, batch, steps, seed: 21);
        int saved = Parallelism.MaxThreads;
        try
        {
            float[]? first = null;
            foreach (int threads in new[] { 1, 2, 3, 4, 8 })
            {
                Parallelism.MaxThreads = threads;
                using var session = model.CreateSession(batch, precision, fused: true);
                Assert.True(session.Fused);
                var logits = FusedFixtures.Run(session, tokens, batch, steps);
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
