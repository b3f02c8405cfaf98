using static RnnGen.Ops;

namespace RnnGen;

public static partial class Cells
{
    /// <summary>
    /// The gated recurrent unit with PyTorch's equations and parameter layout (nn.GRU): gates r, z, n
    /// stacked in that order in weight_ih, weight_hh, bias_ih and bias_hh; b_hn sits inside r * (...).
    /// </summary>
    [RecurrentCell]
    public partial class Gru
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
}
