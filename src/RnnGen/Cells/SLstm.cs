using static RnnGen.Ops;

namespace RnnGen;

public static partial class Cells
{
    /// <summary>
    /// xLSTM's sLSTM (Beck et al. 2024, section 2.2), one head, with a sigmoid forget gate: an exponential input gate
    /// kept finite by the stabiliser m = max(log f + m_prev, ĩ), i' = exp(ĩ - m), f' = exp(log f + m_prev - m); the
    /// cell c = f' ⊙ c_prev + i' ⊙ tanh(z̃), the normaliser n = f' ⊙ n_prev + i', and h = σ(õ) ⊙ c / n. Four states,
    /// h, c, n and m, all zero at the start (n is positive from the first step on, since i' > 0).
    /// weight_ih stacks (W_i; W_f; W_z; W_o), weight_hh (R_i; R_f; R_z; R_o), bias_ih (b_i; b_f; b_z; b_o).
    /// </summary>
    [RecurrentCell]
    public partial class SLstm
    {
        [Packed("weight_ih")] Weight W_ii, W_if, W_iz, W_io;
        [Packed("weight_hh")] Weight R_i, R_f, R_z, R_o;
        [Packed("bias_ih")] Bias b_i, b_f, b_z, b_o;

        (Vec h, Vec c, Vec n, Vec m) Step(Vec x, Vec h, Vec c, Vec n, Vec m)
        {
            var inputGate = W_ii * x + R_i * h + b_i;
            var logForget = LogSigmoid(W_if * x + R_f * h + b_f);
            var mNext = Max(logForget + m, inputGate);
            var i = Exp(inputGate - mNext);
            var f = Exp(logForget + m - mNext);
            var cNext = f * c + i * Tanh(W_iz * x + R_z * h + b_z);
            var nNext = f * n + i;
            var hNext = Sigmoid(W_io * x + R_o * h + b_o) * (cNext / nNext);
            return (hNext, cNext, nNext, mNext);
        }
    }
}
