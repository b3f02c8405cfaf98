using static RnnGen.Ops;

namespace RnnGen;

public static partial class Cells
{
    /// <summary>
    /// minLSTM (Feng et al. 2024, "Were RNNs All We Needed?"): forget and input gates that read only the input,
    /// normalised to sum to one, h = f/(f + i) ⊙ h_prev + i/(f + i) ⊙ h̃, so the state enters linearly.
    /// weight_ih stacks (W_f; W_i; W_h), bias_ih (b_f; b_i; b_h), each block H rows.
    /// </summary>
    [RecurrentCell]
    public partial class MinLstm
    {
        [Packed("weight_ih")] Weight W_if, W_ii, W_ih;
        [Packed("bias_ih")] Bias b_if, b_ii, b_ih;

        Vec Step(Vec x, Vec h)
        {
            var f = Sigmoid(W_if * x + b_if);
            var i = Sigmoid(W_ii * x + b_ii);
            var candidate = W_ih * x + b_ih;
            return f / (f + i) * h + i / (f + i) * candidate;
        }
    }
}
