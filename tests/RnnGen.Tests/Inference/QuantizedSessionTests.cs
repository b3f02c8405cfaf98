using Xunit.Abstractions;

namespace RnnGen.Tests.Inference;

/// <summary>
/// bf16 and int8 sessions stay within stated bounds of the fp32 session's logits over 20 tokens, on models whose
/// weights have a trained model's scale; and a layer that cannot be split by columns is refused, naming it.
/// </summary>
/// <remarks>
/// The bounds. bf16 rounds each weight to 8 significant bits, a relative error of at most 2^-9 (0.2%); int8 rounds
/// each to a step of max|row| / 127, an absolute error of at most half of that, about 0.4% of max|row| (and x to int16,
/// 100 times finer). A product's error is a sum of such errors with random signs, about 2^-9 / sqrt(3) of the product's
/// RMS for bf16 and twice that for int8; the gates pass it on damped, and 20 steps of state carry add a few such errors
/// up. The logits' largest error measured on these models is 0.3-0.5% of their scale for bf16 and 0.6-1.2% for int8;
/// the bounds, 1.5% and 2.5%, are two to three times that, and far below what a wrong layout would give (a product of the wrong
/// rows is wrong by 100%).
/// </remarks>
public class QuantizedSessionTests(ITestOutputHelper output)
{
    public static TheoryData<string, Precision, double> Bounds()
    {
        var data = new TheoryData<string, Precision, double>();
        // Built-in cells: untrained custom cells with weights scaled up are chaotic (two-state's Exp, BiasGateCell's
        // unbounded gate), so any difference grows along the sequence whatever its source; the fp32 fused tests cover them.
        foreach (string model in new[] { "wide-gru", "fused-gru", "fused-lstm" })
        {
            data.Add(model, Precision.BFloat16, 0.015);
            data.Add(model, Precision.Int8, 0.025);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Bounds))]
    public void A_quantized_session_stays_within_its_bound_of_float32(string name, Precision precision, double bound)
    {
        const int batch = 2, steps = 20;
        var model = TrainedScale(FusedFixtures.Create(name, vocab: 50));
        var tokens = SessionFixtures.Tokens(model.VocabSize, batch, steps, seed: 12);
        using var exact = model.CreateSession(batch);
        using var quantized = model.CreateSession(batch, precision);
        Assert.Equal(precision, quantized.Precision);
        Assert.True(quantized.Fused);

        var expected = SessionFixtures.Session(exact, tokens, batch, steps);
        var actual = SessionFixtures.Session(quantized, tokens, batch, steps);
        double error = FusedFixtures.RelativeMax(actual, expected);
        output.WriteLine($"{name} {precision}: largest logit difference {error:P3} of the logits' scale");
        Assert.True(error <= bound, $"{name} at {precision}: {error:P3} of the logits' scale, above {bound:P1}");
        Assert.True(error > 0, "the weights were rounded");
    }

    [Theory]
    [InlineData("fused-norm", "NormCell", "LayerNorm")]
    [InlineData("fused-mgu", "Mgu", "levels")]
    public void A_layer_that_cannot_be_split_by_columns_is_refused_at_bf16_and_int8_and_runs_exactly_at_fp32(string name, string cell, string why)
    {
        var model = FusedFixtures.Create(name);
        foreach (var precision in new[] { Precision.BFloat16, Precision.Int8 })
        {
            var e = Assert.Throws<NotSupportedException>(() => model.CreateSession(1, precision));
            Assert.Contains("layer 1", e.Message);
            Assert.Contains(cell, e.Message);
            Assert.Contains(why, e.Message);
            Assert.Contains("Precision.Float32", e.Message);
        }
        // A fused fp32 request falls back to the exact path for the whole session: the forward pass's bits.
        using var session = model.CreateSession(3, Precision.Float32, fused: true);
        Assert.False(session.Fused);
        var tokens = SessionFixtures.Tokens(model.VocabSize, 3, 6, seed: 2);
        Assert.Equal(SessionFixtures.TokenByToken(model, tokens, 3, 6), SessionFixtures.Session(session, tokens, 3, 6));
    }

    /// <summary>
    /// Weights at a trained model's scale: PyTorch's initialisation, uniform(±1/sqrt(H)), gives gates near 0.5 and
    /// logits near 0; trained recurrent weights are a few times larger (the gru-512 checkpoint's RMS is 2-4 times
    /// the initial one), with saturating gates and logits of several units. Scaling every weight by 3 gives that.
    /// </summary>
    internal static LanguageModel TrainedScale(LanguageModel model)
    {
        var values = model.Network.Parameters.Values;
        for (int i = 0; i < values.Length; i++) values[i] *= 3;
        return model;
    }
}
