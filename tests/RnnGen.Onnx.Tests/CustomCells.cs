using static RnnGen.Ops;

namespace RnnGen.Onnx.Tests;

// Cells of our own, which ONNX has no operator for: they export as a Scan whose body the generator wrote from
// each cell's IR. Between them they use every operation of the DSL.

/// <summary>A tanh recurrence with one weight per operand.</summary>
[RecurrentCell]
public partial class Minimal
{
    Weight W_x, W_h;
    Bias b;

    Vec Step(Vec x, Vec h) => Tanh(W_x * x + W_h * h + b);
}

/// <summary>The minimal gated unit: a weight times an intermediate value (f * h).</summary>
[RecurrentCell]
public partial class Gated
{
    Weight Wf, Wc, Uf, Uc;
    Bias bf, bc;

    Vec Step(Vec x, Vec h)
    {
        var f = Sigmoid(Wf * x + Uf * h + bf);
        var c = Tanh(Wc * x + Uc * (f * h) + bc);
        return (1 - f) * h + f * c;
    }
}

/// <summary>Two states; Exp, negation, subtraction and a constant factor.</summary>
[RecurrentCell]
public partial class TwoStates
{
    Weight Wa, Wo, U;
    Bias ba, bo;

    (Vec h, Vec m) Step(Vec x, Vec h, Vec m)
    {
        var a = Tanh(Wa * x + U * h + ba);
        var keep = Sigmoid(U * m - bo);
        var mNext = keep * m + (1 - keep) * a;
        return (Tanh(mNext) * Sigmoid(Wo * x + bo) - 0.25f * Exp(-(h * h)), mNext);
    }
}

/// <summary>Layer normalisation twice, once of an intermediate value; Relu; a residual that keeps float errors from growing.</summary>
[RecurrentCell]
public partial class Normed
{
    Weight W, U, V;
    Bias gain, shift, gain2, shift2, b;

    Vec Step(Vec x, Vec h)
    {
        var pre = LayerNorm(W * x + U * h, gain, shift);
        var a = Tanh(pre + b) + 0.5f * Relu(pre);
        return 0.5f * Tanh(LayerNorm(a * h + V * a, gain2, shift2)) + 0.5f * h;
    }
}

/// <summary>Issue 12's operations: division, Max and Min with numbers, Abs, Softplus, Log, LogSigmoid and Sqrt, a QRNN-style
/// W * Prev(x), and x read elementwise and through Prev (a token shift), so the input size must equal the hidden size.</summary>
[RecurrentCell]
public partial class Shifted
{
    Weight W, V, U, G;
    Bias mix, b, c;

    Vec Step(Vec x, Vec h)
    {
        var shift = Sigmoid(mix) * x + (1 - Sigmoid(mix)) * Prev(x);
        var a = W * x + V * Prev(x) + U * h + b;
        var soft = Min(Max(a / (1 + Abs(a)), -0.8), 0.8f);
        var scale = Sqrt(Softplus(G * h + c) + 0.1f) - Log(1 + Exp(LogSigmoid(a)));
        return 0.5f * Tanh(soft * scale + shift) + 0.5f * h / 2;
    }
}

/// <summary>PyTorch's GRU written in the DSL as a cell of our own: its Scan must agree with ONNX's GRU operator.</summary>
[RecurrentCell]
public partial class MyGru
{
    [Packed("weight_ih")] Weight W_ir, W_iz, W_in;
    [Packed("weight_hh")] Weight W_hr, W_hz, W_hn;
    [Packed("bias_ih")] Bias b_ir, b_iz, b_in;
    [Packed("bias_hh")] Bias b_hr, b_hz, b_hn;

    Vec Step(Vec x, Vec h)
    {
        var r = Sigmoid(W_ir * x + b_ir + W_hr * h + b_hr);
        var z = Sigmoid(W_iz * x + b_iz + W_hz * h + b_hz);
        var n = Tanh(W_in * x + b_in + r * (W_hn * h + b_hn));
        return (1 - z) * n + z * h;
    }
}

[LanguageModel(Embedding = 4)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 5)]
[Layer(typeof(Minimal), Hidden = 5)]
public partial class MinimalLm;

[LanguageModel(Embedding = 5)]
[Layer(typeof(Gated), Hidden = 7)]
public partial class GatedLm;

[LanguageModel(Embedding = 5)]
[Layer(typeof(TwoStates), Hidden = 6)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 4)]
public partial class TwoStatesLm;

[LanguageModel(Embedding = 6)]
[Layer(typeof(Normed), Hidden = 8)]
[Layer(typeof(Normed), Hidden = 9)]
public partial class NormedLm;

[LanguageModel(Embedding = 5)]
[Layer(typeof(MyGru), Hidden = 7)]
public partial class MyGruLm;

/// <summary>Two token-shifted layers, the embedding as wide as them: the states the generator adds for Prev are states
/// of the export too.</summary>
[LanguageModel(Embedding = 8)]
[Layer(typeof(Shifted), Hidden = 8)]
[Layer(typeof(Shifted), Hidden = 8)]
public partial class ShiftedLm;

[SequenceClassifier(Embedding = 4, Classes = 3, Pooling = Pooling.Last, Bidirectional = true)]
[Layer(typeof(TwoStates), Hidden = 5)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 4)]
public partial class BiTwoStatesLastClassifier;

[SequenceClassifier(Embedding = 4, Classes = 2, Pooling = Pooling.Last)]
[Layer(typeof(Normed), Hidden = 6)]
public partial class NormedLastClassifier;

[SequenceClassifier(Embedding = 4, Classes = 3, Pooling = Pooling.Mean, Bidirectional = true)]
[Layer(typeof(Gated), Hidden = 5)]
public partial class BiGatedMeanClassifier;

[SequenceTagger(Embedding = 4, Tags = 3, Bidirectional = true)]
[Layer(typeof(Normed), Hidden = 5)]
[Layer(typeof(TwoStates), Hidden = 4)]
public partial class BiCustomTagger;

[SequenceRegressor(Inputs = 2, Outputs = 2)]
[Layer(typeof(Gated), Hidden = 5)]
public partial class GatedRegressor;

[Seq2Seq(SourceEmbedding = 4, TargetEmbedding = 4, Attention = AttentionKind.General, Bidirectional = true)]
[Encoder(typeof(Normed), Hidden = 5)]
[Decoder(typeof(TwoStates), Hidden = 6)]
public partial class CustomTranslator;
