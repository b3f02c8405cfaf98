namespace RnnGen.Tests.Seq2Seq;

/// <summary>
/// The attention encoder-decoder's backward pass against central finite differences of its forward
/// pass, in double precision, for every tensor: each attention kind, one- and two-way encoders, stacked
/// layers and an LSTM decoder (whose second state starts at zero).
/// </summary>
public class Seq2SeqGradientCheckTests
{
    public static TheoryData<AttentionKind, bool, int, int, bool> Cases() => new()
    {
        { AttentionKind.Dot, false, 1, 1, false },
        { AttentionKind.Dot, true, 1, 1, false },
        { AttentionKind.General, false, 1, 1, false },
        { AttentionKind.General, true, 1, 1, false },
        { AttentionKind.Additive, false, 1, 1, false },
        { AttentionKind.Additive, true, 1, 1, false },
        { AttentionKind.General, true, 2, 2, true },
        { AttentionKind.Additive, true, 2, 1, false },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Analytic_gradients_match_central_differences(AttentionKind attention, bool bidirectional, int encoderLayers, int decoderLayers, bool lstm)
    {
        var model = Seq2SeqTestModels.Create(attention, bidirectional, encoderLayers, decoderLayers, lstm, seed: 3);
        Check(model);
    }

    /// <summary>The generated constructors build the same networks: check them too.</summary>
    [Theory]
    [InlineData("GeneralBiModel")]
    [InlineData("DotStackedModel")]
    [InlineData("AdditiveModel")]
    public void Generated_models_pass_the_gradient_check(string name)
    {
        int sv = Seq2SeqTestModels.SourceVocab, tv = Seq2SeqTestModels.TargetVocab;
        Seq2SeqModel model = name switch
        {
            "GeneralBiModel" => new GeneralBiModel(sv, tv, seed: 4),
            "DotStackedModel" => new DotStackedModel(sv, tv, seed: 4),
            _ => new AdditiveModel(sv, tv, seed: 4),
        };
        Check(model);
    }

    private static void Check(Seq2SeqModel model)
    {
        var network = model.ToDouble();
        var random = new Random(5);
        for (int i = 0; i < network.Values.Length; i++) network.Values[i] += (random.NextDouble() - 0.5) * 0.4;
        var (sources, targets) = Seq2SeqTestModels.Sentences(7, rows: 3);
        var batch = model.CreateBatch(sources, targets);

        network.ForwardBackward(batch);
        var analytic = (double[])network.Gradients.Clone();
        var numeric = new double[analytic.Length];
        const double h = 1e-5;
        var values = network.Values;
        for (int i = 0; i < values.Length; i++)
        {
            double saved = values[i];
            values[i] = saved + h;
            double plus = network.Loss(batch);
            values[i] = saved - h;
            double minus = network.Loss(batch);
            values[i] = saved;
            numeric[i] = (plus - minus) / (2 * h);
        }

        foreach (var tensor in network.Tensors)
        {
            double diff = 0, scale = 0;
            int worst = -1;
            for (int i = tensor.Offset; i < tensor.Offset + tensor.Length; i++)
            {
                double d = Math.Abs(analytic[i] - numeric[i]);
                if (d > diff) (diff, worst) = (d, i);
                scale = Math.Max(scale, Math.Max(Math.Abs(analytic[i]), Math.Abs(numeric[i])));
            }
            // Embedding rows of unused ids and the rows of tokens that never occur have zero gradient; a whole tensor must not.
            Assert.True(scale > 1e-8, $"{tensor.Name}: gradient is identically zero");
            double relative = diff / scale;
            Assert.True(relative <= 1e-6,
                $"{tensor.Name}: relative error {relative:E2} (element {worst - tensor.Offset}: analytic {analytic[worst]:R}, numeric {numeric[worst]:R})");
        }
    }
}
