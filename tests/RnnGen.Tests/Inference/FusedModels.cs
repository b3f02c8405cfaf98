using RnnGen.Tests.Cells;

namespace RnnGen.Tests.Inference;

// Models for the fused and quantized sessions: hidden sizes above one alignment unit (64 columns) and not a multiple
// of it, so a step is really split by columns and its last part is a ragged one.

/// <summary>A GRU of 100 hidden units: parts [0, 64) and [64, 100) on two threads or more.</summary>
[LanguageModel(Embedding = 24)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 100)]
public partial class FusedGruModel;

/// <summary>Two LSTMs of 70 and 130 units: 2 and 3 parts.</summary>
[LanguageModel(Embedding = 20)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 70)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 130)]
public partial class FusedLstmModel;

/// <summary>A custom two-state cell of 90 units under a custom one-state cell of 200: custom plans, stacked.</summary>
[LanguageModel(Embedding = 16)]
[Layer(typeof(TwoStateCell), Hidden = 90)]
[Layer(typeof(BiasGateCell), Hidden = 200)]
public partial class FusedCustomModel;

/// <summary>A LayerNorm cell over a GRU: its layer cannot be split by columns.</summary>
[LanguageModel(Embedding = 12)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 80)]
[Layer(typeof(NormCell), Hidden = 70)]
public partial class FusedNormModel;

/// <summary>An MGU (a product of f * h, computed in the step: two levels) over a GRU: cannot be split by columns.</summary>
[LanguageModel(Embedding = 12)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 80)]
[Layer(typeof(Mgu), Hidden = 70)]
public partial class FusedMguModel;

/// <summary>Issue 12's inputs: a QRNN (W * Prev(x), states of its own carried from token to token) of 100 units under
/// an SRU (the highway (1 - r) * x, which reads x beside the states). (The token shift's W * shifted multiplies a
/// value of the step, which no fused session splits.)</summary>
[LanguageModel(Embedding = 24)]
[Layer(typeof(Qrnn), Hidden = 100)]
[Layer(typeof(Sru), Hidden = 100)]
public partial class FusedPrevModel;

internal static class FusedFixtures
{
    public static readonly string[] Models = ["fused-gru", "fused-lstm", "fused-custom", "fused-prev"];

    public static LanguageModel Create(string name, int vocab = 37, int seed = 5) => name switch
    {
        "fused-gru" => new FusedGruModel(vocab, seed),
        "fused-lstm" => new FusedLstmModel(vocab, seed),
        "fused-custom" => new FusedCustomModel(vocab, seed),
        "fused-norm" => new FusedNormModel(vocab, seed),
        "fused-mgu" => new FusedMguModel(vocab, seed),
        "fused-prev" => new FusedPrevModel(vocab, seed),
        _ => SessionFixtures.Create(name, vocab, seed),
    };

    /// <summary>Every step's logits of a session over [batch, steps] tokens, with row batch-1 restarted half-way.</summary>
    public static float[] Run(LanguageModelSession session, int[] tokens, int batch, int steps)
    {
        int V = session.VocabSize;
        var logits = new float[batch * V];
        var all = new float[steps * batch * V];
        for (int t = 0; t < steps; t++)
        {
            if (t == steps / 2) session.Reset(batch - 1);
            session.Step(SessionFixtures.Column(tokens, batch, steps, t), logits);
            logits.CopyTo(all, t * batch * V);
        }
        return all;
    }

    /// <summary>The largest |a - b| over the largest |b|: the error relative to the logits' scale.</summary>
    public static double RelativeMax(float[] a, float[] b)
    {
        double worst = 0, scale = 0;
        for (int i = 0; i < a.Length; i++)
        {
            worst = Math.Max(worst, Math.Abs(a[i] - b[i]));
            scale = Math.Max(scale, Math.Abs(b[i]));
        }
        return worst / scale;
    }
}
