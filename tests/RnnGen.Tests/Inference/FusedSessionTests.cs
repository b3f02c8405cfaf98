using Xunit.Abstractions;

namespace RnnGen.Tests.Inference;

/// <summary>
/// A fused Float32 session (each layer's whole step split over the cores by hidden columns, on a copy of the weights)
/// computes the model's forward pass, up to the order of each product's sum.
/// </summary>
/// <remarks>
/// The bound: each product sums at most 200 terms in fp32 in another order than GEMM, so it differs by at most a few
/// ulps of its magnitude (the worst case n·eps·Σ|w·x| is near 1e-5 of it; rounding errors of both orders are random
/// walks, typically 1e-7). Over 20 steps of contracting cells (sigmoid and tanh gates, derivatives under 1) the
/// differences do not grow beyond that; 2e-5 of the logits' scale leaves room for the worst case (measured: 1.4e-7 to 7.7e-7).
/// </remarks>
public class FusedSessionTests(ITestOutputHelper output)
{
    private const double Bound = 2e-5;

    public static TheoryData<string, int> Shapes()
    {
        var data = new TheoryData<string, int>();
        foreach (string model in FusedFixtures.Models.Append("gru").Append("two-state").Append("wide-gru"))
            foreach (int batch in new[] { 1, 3 })
                data.Add(model, batch);
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_fused_float32_session_gives_the_forward_pass_within_the_bound(string name, int batch)
    {
        const int steps = 20;
        var model = FusedFixtures.Create(name);
        var tokens = SessionFixtures.Tokens(model.VocabSize, batch, steps, seed: 7 * batch);
        using var session = model.CreateSession(batch, Precision.Float32, fused: true);
        Assert.True(session.Fused);

        var expected = SessionFixtures.TokenByToken(model, tokens, batch, steps);
        var actual = SessionFixtures.Session(session, tokens, batch, steps);

        double error = FusedFixtures.RelativeMax(actual, expected);
        output.WriteLine($"{name}, batch {batch}: largest difference {error:E2} of the logits' scale");
        Assert.True(error <= Bound, $"{name}, batch {batch}: largest difference {error:E2} of the logits' scale, above {Bound:E0}");
        Assert.NotEqual(expected.Take(model.VocabSize), expected.Skip(model.VocabSize).Take(model.VocabSize)); // the logits move
    }

    [Fact]
    public void The_default_float32_session_keeps_the_exact_path()
    {
        var model = FusedFixtures.Create("fused-gru");
        using var session = model.CreateSession(2);
        Assert.False(session.Fused);
        var tokens = SessionFixtures.Tokens(model.VocabSize, 2, 5, seed: 1);
        Assert.Equal(SessionFixtures.TokenByToken(model, tokens, 2, 5), SessionFixtures.Session(session, tokens, 2, 5));
    }

    [Fact]
    public void A_fused_session_runs_on_its_copy_of_the_weights()
    {
        var model = FusedFixtures.Create("fused-lstm");
        var tokens = SessionFixtures.Tokens(model.VocabSize, 1, 8, seed: 4);
        using var fused = model.CreateSession(1, Precision.Int8);
        using var before = model.CreateSession(1, Precision.Int8);
        var expected = SessionFixtures.Session(before, tokens, 1, 8);

        // Changing the model's weights after creation changes nothing in the session.
        var values = model.Network.Parameters.Values;
        for (int i = 0; i < values.Length; i++) values[i] *= 0.5f;
        Assert.Equal(expected, SessionFixtures.Session(fused, tokens, 1, 8));
    }
}
