using static RnnGen.Ops;

namespace RnnGen;

public static partial class Cells
{
    /// <summary>
    /// The simple recurrent unit (Lei et al. 2018, "Simple Recurrent Units for Highly Parallelizable Recurrence"):
    /// the state c enters only elementwise (v ⊙ c in the gates), c = f ⊙ c_prev + (1 - f) ⊙ (W x), and a highway
    /// h = r ⊙ tanh(c) + (1 - r) ⊙ x that adds the input itself, so the input size must equal the hidden size (as
    /// in the paper's stacks; a model's first layer then takes an embedding as wide as the layer).
    /// weight_ih stacks (W; W_f; W_r), weight_hh (v_f; v_r) the elementwise recurrent weights, bias_ih (b_f; b_r).
    /// </summary>
    [RecurrentCell]
    public partial class Sru
    {
        [Packed("weight_ih")] Weight W_ic, W_if, W_ir;
        [Packed("weight_hh")] Bias v_f, v_r;
        [Packed("bias_ih")] Bias b_if, b_ir;

        (Vec h, Vec c) Step(Vec x, Vec h, Vec c)
        {
            var f = Sigmoid(W_if * x + v_f * c + b_if);
            var r = Sigmoid(W_ir * x + v_r * c + b_ir);
            var cNext = f * c + (1 - f) * (W_ic * x);
            return (r * Tanh(cNext) + (1 - r) * x, cNext);
        }
    }
}
