namespace RnnGen.Tests.Inference;

/// <summary>A session computes what the model's own forward pass computes over the same tokens.</summary>
public class SessionParityTests
{
    public static TheoryData<string, int, int> Shapes()
    {
        var data = new TheoryData<string, int, int>();
        foreach (string model in SessionFixtures.Models)
            foreach (int batch in new[] { 1, 3, 6 })
                foreach (int steps in new[] { 1, 5, 17 })
                    data.Add(model, batch, steps);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_session_gives_the_bits_of_the_models_forward_pass_run_token_by_token(string name, int batch, int steps)
    {
        var model = SessionFixtures.Create(name);
        var tokens = SessionFixtures.Tokens(model.VocabSize, batch, steps, seed: batch * 31 + steps);
        using var session = model.CreateSession(batch);

        var expected = SessionFixtures.TokenByToken(model, tokens, batch, steps);
        var actual = SessionFixtures.Session(session, tokens, batch, steps);

        Assert.Equal(expected, actual);
        if (steps > 1) AssertChangesOverTime(actual, batch, steps, model.VocabSize);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_session_matches_the_models_forward_pass_over_the_whole_window(string name, int batch, int steps)
    {
        // The whole window multiplies many rows at once, on kernels that may sum in another order: equal to rounding.
        var model = SessionFixtures.Create(name);
        var tokens = SessionFixtures.Tokens(model.VocabSize, batch, steps, seed: batch * 17 + steps);
        using var session = model.CreateSession(batch);

        var expected = SessionFixtures.WholeWindow(model, tokens, batch, steps);
        var actual = SessionFixtures.Session(session, tokens, batch, steps);

        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-5f * (1 + Math.Abs(expected[i])),
                $"logit {i} (row {i / model.VocabSize / steps}, step {i / model.VocabSize % steps}): session {actual[i]}, whole window {expected[i]}");
    }

    [Fact]
    public void A_session_reads_the_models_parameters_live()
    {
        var model = SessionFixtures.Create("lstm2");
        var tokens = SessionFixtures.Tokens(model.VocabSize, 2, 4, seed: 5);
        using var session = model.CreateSession(2);
        var before = SessionFixtures.Session(session, tokens, 2, 4);

        model.Initialize(new Random(99));
        session.Reset();
        var after = SessionFixtures.Session(session, tokens, 2, 4);

        Assert.NotEqual(before, after);
        Assert.Equal(SessionFixtures.TokenByToken(model, tokens, 2, 4), after);
    }

    /// <summary>Guards the comparisons above against a session that writes the same values at every step.</summary>
    private static void AssertChangesOverTime(float[] logits, int batch, int steps, int vocab)
    {
        for (int r = 0; r < batch; r++)
        {
            var first = logits.AsSpan(r * steps * vocab, vocab).ToArray();
            var last = logits.AsSpan((r * steps + steps - 1) * vocab, vocab).ToArray();
            Assert.NotEqual(first, last);
        }
    }
}
