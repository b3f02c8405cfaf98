using static RnnGen.Ops;

namespace RnnGen;

public static partial class Cells
{
    /// <summary>
    /// The Elman network with tanh, as PyTorch's nn.RNN: h' = tanh(W_ih x + b_ih + W_hh h + b_hh).
    /// </summary>
    [RecurrentCell]
    public partial class SimpleRnn
    {
        [Packed("weight_ih")] Weight W_ih;
        [Packed("weight_hh")] Weight W_hh;
        [Packed("bias_ih")] Bias b_ih;
        [Packed("bias_hh")] Bias b_hh;

        Vec Step(Vec x, Vec h) => Tanh(W_ih * x + b_ih + W_hh * h + b_hh);
    }
}
