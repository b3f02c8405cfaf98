using static RnnGen.Ops;

namespace RnnGen;

public static partial class Cells
{
    /// <summary>
    /// The quasi-recurrent unit (Bradbury et al. 2016) with a window-2 convolution over the input and fo-pooling:
    /// every gate reads x_t and x_{t-1} (zero before a sequence's first step), c = f ⊙ c_prev + (1 - f) ⊙ z and the
    /// output h = o ⊙ c; no product reads a state. weight_ih stacks (W_z; W_f; W_o) on x_t, weight_ih_prev
    /// (V_z; V_f; V_o) on x_{t-1}, bias_ih (b_z; b_f; b_o). States: h (the output, read by nothing) and c.
    /// </summary>
    [RecurrentCell]
    public partial class Qrnn
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
}
