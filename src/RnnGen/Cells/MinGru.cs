using static RnnGen.Ops;

namespace RnnGen;

public static partial class Cells
{
    /// <summary>
    /// minGRU (Feng et al. 2024, "Were RNNs All We Needed?"): a GRU whose gate and candidate read only the input,
    /// so the state enters linearly, h = (1 - z) ⊙ h_prev + z ⊙ h̃, and every product is hoisted out of the time loop.
    /// weight_ih stacks (W_z; W_h), bias_ih (b_z; b_h), each block H rows.
    /// </summary>
    [RecurrentCell]
    public partial class MinGru
    {
        [Packed("weight_ih")] Weight W_iz, W_ih;
        [Packed("bias_ih")] Bias b_iz, b_ih;

        Vec Step(Vec x, Vec h)
        {
            var z = Sigmoid(W_iz * x + b_iz);
            var candidate = W_ih * x + b_ih;
            return (1 - z) * h + z * candidate;
        }
    }
}
