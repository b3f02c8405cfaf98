using static RnnGen.Ops;

namespace RnnGen;

public static partial class Cells
{
    /// <summary>
    /// The long short-term memory cell with PyTorch's equations and parameter layout (nn.LSTM): gates
    /// i, f, g, o stacked in that order; the states are h (the output) and c.
    /// </summary>
    [RecurrentCell]
    public partial class Lstm
    {
        [Packed("weight_ih")] Weight W_ii, W_if, W_ig, W_io;
        [Packed("weight_hh")] Weight W_hi, W_hf, W_hg, W_ho;
        [Packed("bias_ih")] Bias b_ii, b_if, b_ig, b_io;
        [Packed("bias_hh")] Bias b_hi, b_hf, b_hg, b_ho;

        (Vec h, Vec c) Step(Vec x, Vec h, Vec c)
        {
            var i = Sigmoid(W_ii * x + b_ii + W_hi * h + b_hi);
            var f = Sigmoid(W_if * x + b_if + W_hf * h + b_hf);
            var g = Tanh(W_ig * x + b_ig + W_hg * h + b_hg);
            var o = Sigmoid(W_io * x + b_io + W_ho * h + b_ho);
            var cNext = f * c + i * g;
            return (o * Tanh(cNext), cNext);
        }
    }
}
