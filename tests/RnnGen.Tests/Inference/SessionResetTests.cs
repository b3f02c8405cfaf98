namespace RnnGen.Tests.Inference;

/// <summary>Reset(row) restarts that row as a fresh session would, and leaves the other rows where they were.</summary>
public class SessionResetTests
{
    public static TheoryData<string> Models() => new(SessionFixtures.Models);

    [Theory]
    [MemberData(nameof(Models))]
    public void Reset_of_a_row_restarts_it_while_the_other_rows_continue(string name)
    {
        const int batch = 4, before = 6, after = 7, row = 2;
        var model = SessionFixtures.Create(name);
        int V = model.VocabSize;
        var head = SessionFixtures.Tokens(V, batch, before, seed: 1);
        var tail = SessionFixtures.Tokens(V, batch, after, seed: 2);

        // Reset row 2 between the two windows.
        using var session = model.CreateSession(batch);
        SessionFixtures.Session(session, head, batch, before);
        session.Reset(row);
        var reset = SessionFixtures.Session(session, tail, batch, after);

        // The same without the reset, for the other rows.
        using var untouched = model.CreateSession(batch);
        SessionFixtures.Session(untouched, head, batch, before);
        var continued = SessionFixtures.Session(untouched, tail, batch, after);

        // A fresh session of the same batch fed only the tail: its row 2 is what a restarted row 2 must give.
        using var fresh = model.CreateSession(batch);
        var restarted = SessionFixtures.Session(fresh, tail, batch, after).AsSpan(row * after * V, after * V).ToArray();

        for (int r = 0; r < batch; r++)
        {
            var got = reset.AsSpan(r * after * V, after * V).ToArray();
            if (r == row) Assert.Equal(restarted, got);
            else Assert.Equal(continued.AsSpan(r * after * V, after * V).ToArray(), got);
        }
        // The reset changed something: row 2's logits without it differ.
        Assert.NotEqual(continued.AsSpan(row * after * V, after * V).ToArray(), reset.AsSpan(row * after * V, after * V).ToArray());
    }

    [Theory]
    [MemberData(nameof(Models))]
    public void Reset_of_every_row_gives_a_fresh_session(string name)
    {
        const int batch = 3, steps = 5;
        var model = SessionFixtures.Create(name);
        var tokens = SessionFixtures.Tokens(model.VocabSize, batch, steps, seed: 4);
        using var session = model.CreateSession(batch);
        var first = SessionFixtures.Session(session, tokens, batch, steps);
        session.Reset();
        Assert.Equal(first, SessionFixtures.Session(session, tokens, batch, steps));
    }
}
