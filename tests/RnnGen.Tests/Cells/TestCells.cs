using static RnnGen.Ops;

namespace RnnGen.Tests.Cells;

// Custom cells declared with the DSL, covering what the built-in cells do not.

/// <summary>The minimal gated unit of DESIGN §1: a product of an intermediate value (f * h), so two product levels.</summary>
[RecurrentCell]
public partial class Mgu
{
    Weight Wf, Wh;
    Weight Uf, Uh;
    Bias bf, bh;

    Vec Step(Vec x, Vec h)
    {
        var f = Sigmoid(Wf * x + Uf * h + bf);
        var candidate = Tanh(Wh * x + Uh * (f * h) + bh);
        return (1 - f) * h + f * candidate;
    }
}

/// <summary>Two states, one weight used against both, a state returned through Exp and a negation.</summary>
[RecurrentCell]
public partial class TwoStateCell
{
    Weight Wa, Wo;
    Weight U;
    Bias ba, bo;

    (Vec h, Vec m) Step(Vec x, Vec h, Vec m)
    {
        var a = Tanh(Wa * x + U * h + ba);
        var keep = Sigmoid(U * m - bo);
        var mNext = keep * m + (1 - keep) * a;
        return (Tanh(mNext) * Sigmoid(Wo * x + bo) - 0.1f * Exp(-(h * h)), mNext);
    }
}

/// <summary>A layer-normalised recurrence, with a second LayerNorm on an intermediate value.</summary>
[RecurrentCell]
public partial class NormCell
{
    Weight W, U, V;
    Bias gain, shift, gain2, shift2, b;

    Vec Step(Vec x, Vec h)
    {
        var pre = LayerNorm(W * x + U * h, gain, shift);
        var a = Tanh(pre + b);
        return LayerNorm(a * h + V * a, gain2, shift2);
    }
}

/// <summary>An elementwise product of a Bias parameter and a state.</summary>
[RecurrentCell]
public partial class BiasGateCell
{
    Weight W, U;
    Bias decay, b;

    Vec Step(Vec x, Vec h) => Tanh(W * x + decay * h + U * h + b);
}

/// <summary>Relu, with a leaky residual so that the state stays bounded.</summary>
[RecurrentCell]
public partial class ReluCell
{
    Weight W, U;
    Bias b;

    Vec Step(Vec x, Vec h) => 0.5f * Relu(W * x + U * h + b) + 0.5f * h;
}

/// <summary>No product of a weight by a state: the state enters only through an elementwise gate (issue 10, item 7:
/// this project builds with warnings as errors, so the generated code must not leave a field unused).</summary>
[RecurrentCell]
public partial class ElementwiseRecurrenceCell
{
    Weight W;
    Bias u, b;

    Vec Step(Vec x, Vec h) => Relu(W * x + u * h + b);
}

/// <summary>Division (vector by vector, number by vector, vector by number), Abs, and Max and Min with number
/// literals as arguments: a softsign clipped to a band, gated into the state.</summary>
[RecurrentCell]
public partial class ClippedSoftsignCell
{
    Weight W, U, V;
    Bias b, c;

    Vec Step(Vec x, Vec h)
    {
        var a = W * x + U * h + b;
        var soft = a / (1 + Abs(a));
        var clipped = Min(Max(soft, -0.75), 0.75f);
        var gate = 1 / (1 + Exp(-(V * h + c)));
        return gate * Max(clipped, h / 2) + (1 - gate) * Min(0, h) / 1.5f;
    }
}

/// <summary>The logarithmic operations: Softplus, Log, LogSigmoid and Sqrt, on arguments kept in their domains.</summary>
[RecurrentCell]
public partial class LogarithmicCell
{
    Weight W, U, V;
    Bias b, c;

    Vec Step(Vec x, Vec h)
    {
        var a = W * x + U * h + b;
        var positive = Softplus(a);
        var root = Sqrt(positive + 0.25f);
        var logGate = LogSigmoid(V * h + c);
        return Tanh(Log(1 + positive) - root) * Exp(logGate) + 0.5f * h;
    }
}

/// <summary>A quasi-recurrent unit (QRNN): a window-2 convolution over the input (W * x + V * Prev(x)) feeding
/// elementwise gates, with no product of a state at all. Each V * Prev(x) is carried as a state of its own.</summary>
[RecurrentCell]
public partial class Qrnn
{
    Weight Wz, Wf, Vz, Vf;
    Bias bz, bf;

    Vec Step(Vec x, Vec c)
    {
        var z = Tanh(Wz * x + Vz * Prev(x) + bz);
        var f = Sigmoid(Wf * x + Vf * Prev(x) + bf);
        return f * c + (1 - f) * z;
    }
}

/// <summary>An RWKV-style token shift: each element mixes the input with the previous input (Prev(x) elementwise),
/// so the input size must equal the hidden size.</summary>
[RecurrentCell]
public partial class TokenShiftCell
{
    Weight W, U;
    Bias mix, b;

    Vec Step(Vec x, Vec h)
    {
        var m = Sigmoid(mix);
        var shifted = m * x + (1 - m) * Prev(x);
        return Tanh(W * shifted + U * h + b);
    }
}

/// <summary>A simple recurrent unit (SRU): the state enters only elementwise, and the highway (1 - r) * x adds the
/// input itself to the output, so the input size must equal the hidden size.</summary>
[RecurrentCell]
public partial class Sru
{
    Weight W, Wf, Wr;
    Bias vf, vr, bf, br;

    (Vec h, Vec c) Step(Vec x, Vec h, Vec c)
    {
        var f = Sigmoid(Wf * x + vf * c + bf);
        var r = Sigmoid(Wr * x + vr * c + br);
        var cNext = f * c + (1 - f) * (W * x);
        return (r * Tanh(cNext) + (1 - r) * x, cNext);
    }
}

// ---- Cells linear in their states: planned as linear scans (RecurrenceKind.LinearScan) ----

/// <summary>minGRU (Feng et al., 2024): the gate and the candidate read only the input, so h' = (1 - z) ⊙ h + z ⊙ candidate is a scan.</summary>
[RecurrentCell]
public partial class MinGruTest
{
    Weight Wz, Wh;
    Bias bz, bh;

    Vec Step(Vec x, Vec h)
    {
        var z = Sigmoid(Wz * x + bz);
        var candidate = Wh * x + bh;
        return (1 - z) * h + z * candidate;
    }
}

/// <summary>The same minGRU forced onto the step loop: the reference the linear plan is compared with.</summary>
[RecurrentCell(LinearPath = false)]
public partial class MinGruStepLoop
{
    Weight Wz, Wh;
    Bias bz, bh;

    Vec Step(Vec x, Vec h)
    {
        var z = Sigmoid(Wz * x + bz);
        var candidate = Wh * x + bh;
        return (1 - z) * h + z * candidate;
    }
}

/// <summary>A forget gate alone, its complement letting in a squashed candidate: a = f, b = (1 - f) ⊙ Tanh(...).</summary>
[RecurrentCell]
public partial class ForgetOnlyTest
{
    Weight Wf, Wc;
    Bias bf, bc;

    Vec Step(Vec x, Vec h)
    {
        var f = Sigmoid(Wf * x + bf);
        return f * h + (1 - f) * Tanh(Wc * x + bc);
    }
}

/// <summary>Two scan states, one of them read through a difference and a negation, the other decaying by a learned
/// vector: a = 1 - g for h (written h - g * h), a = decay for m.</summary>
[RecurrentCell]
public partial class TwoScanTest
{
    Weight Wg, Wc, Wm;
    Bias bg, decay;

    (Vec h, Vec m) Step(Vec x, Vec h, Vec m)
    {
        var g = Sigmoid(Wg * x + bg);
        var hNext = h - g * h + g * Tanh(Wc * x);
        var mNext = decay * m - (-Tanh(Wm * x));
        return (hNext, mNext);
    }
}

/// <summary>QRNN-like (Bradbury et al., 2016): c is a scan, and h = o ⊙ c' an output state, read by no update.</summary>
[RecurrentCell]
public partial class QrnnLikeTest
{
    Weight Wz, Wf, Wo;
    Bias bz, bf, bo;

    (Vec h, Vec c) Step(Vec x, Vec h, Vec c)
    {
        var z = Tanh(Wz * x + bz);
        var f = Sigmoid(Wf * x + bf);
        var o = Sigmoid(Wo * x + bo);
        var cNext = f * c + (1 - f) * z;
        return (o * Tanh(cNext), cNext);
    }
}

/// <summary>The QRNN-like cell forced onto the step loop: the reference for its scans and output state.</summary>
[RecurrentCell(LinearPath = false)]
public partial class QrnnStepLoop
{
    Weight Wz, Wf, Wo;
    Bias bz, bf, bo;

    (Vec h, Vec c) Step(Vec x, Vec h, Vec c)
    {
        var z = Tanh(Wz * x + bz);
        var f = Sigmoid(Wf * x + bf);
        var o = Sigmoid(Wo * x + bo);
        var cNext = f * c + (1 - f) * z;
        return (o * Tanh(cNext), cNext);
    }
}

/// <summary>The built-in QRNN's step (window 2: every gate reads x_t and x_{t-1}) forced onto the step loop: the reference
/// for its scan, its output state and its shifts (the W * x of the step before, copied in before the scan).</summary>
[RecurrentCell(LinearPath = false)]
public partial class QrnnWindowStepLoop
{
    [Packed("weight_ih")] Weight W_iz, W_if, W_io;
    [Packed("weight_ih_prev")] Weight V_iz, V_if, V_io;
    [Packed("bias_ih")] Bias b_iz, b_if, b_io;

    (Vec h, Vec c) Step(Vec x, Vec h, Vec c)
    {
        var z = Tanh(W_iz * x + V_iz * Prev(x) + b_iz);
        var f = Sigmoid(W_if * x + V_if * Prev(x) + b_if);
        var o = Sigmoid(W_io * x + V_io * Prev(x) + b_io);
        var cNext = f * c + (1 - f) * z;
        return (o * cNext, cNext);
    }
}
