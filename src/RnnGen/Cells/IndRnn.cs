using static RnnGen.Ops;

namespace RnnGen;

public static partial class Cells
{
    /// <summary>
    /// IndRNN (Li et al. 2018, "Independently Recurrent Neural Network"): each hidden unit recurs only on itself,
    /// h = ReLU(W x + u ⊙ h_prev + b), with u a vector (weight_hh [H]) rather than a matrix, so a step has no
    /// product of a weight by the state. Names: weight_ih [H, I], weight_hh [H], bias_ih [H].
    /// </summary>
    [RecurrentCell]
    public partial class IndRnn
    {
        [Packed("weight_ih")] Weight W_ih;
        [Packed("weight_hh")] Bias u;
        [Packed("bias_ih")] Bias b_ih;

        Vec Step(Vec x, Vec h) => Relu(W_ih * x + u * h + b_ih);
    }
}
