using System.Collections.Generic;
using RnnGen.Generators.Model;

namespace RnnGen.Generators.Differentiation;

/// <summary>
/// The third stage: reverse-mode differentiation of the cell IR. Each elementwise node pushes its
/// adjoint to its operands through the local derivative of its operation. Products by weights are
/// not elementwise: the plan turns their adjoints into matrix products.
/// </summary>
internal static class Differentiator
{
    public static CellGradient Differentiate(CellModel cell)
    {
        var contributions = new List<Contribution>();
        foreach (var node in cell.Nodes)
        {
            if (node.IsLeaf) continue;
            var y = Term.Val(node.Id);
            var one = Term.Const(1);
            void To(int operand, Term term)
            {
                if (cell.Nodes[operand].Kind is not (NodeKind.Constant or NodeKind.Input))
                    contributions.Add(new Contribution(node.Id, operand, -1, term));
            }

            switch (node.Kind)
            {
                case NodeKind.Add:
                    To(node.A, Term.Adj);
                    To(node.B, Term.Adj);
                    break;
                case NodeKind.Subtract:
                    To(node.A, Term.Adj);
                    To(node.B, -Term.Adj);
                    break;
                case NodeKind.Negate:
                    To(node.A, -Term.Adj);
                    break;
                case NodeKind.Multiply:
                    To(node.A, Term.Adj * Term.Val(node.B));
                    To(node.B, Term.Adj * Term.Val(node.A));
                    break;
                case NodeKind.Sigmoid:   // s' = s (1 - s)
                    To(node.A, Term.Adj * (y * (one - y)));
                    break;
                case NodeKind.Tanh:      // tanh' = 1 - tanh²
                    To(node.A, Term.Adj * (one - y * y));
                    break;
                case NodeKind.Relu:
                    To(node.A, Term.Adj * new Term(TermKind.Positive, node.Id));
                    break;
                case NodeKind.Exp:
                    To(node.A, Term.Adj * y);
                    break;
                case NodeKind.Identity:
                case NodeKind.Output:
                    To(node.A, Term.Adj);
                    break;
                case NodeKind.LayerNorm:
                    // y = xhat * g + b, xhat = (v - mean) * rstd
                    contributions.Add(new Contribution(node.Id, -1, node.Param, Term.Adj * new Term(TermKind.NormHat, node.Id)));
                    contributions.Add(new Contribution(node.Id, -1, node.Param2, Term.Adj));
                    To(node.A, new Term(TermKind.NormInput, node.Id));
                    break;
            }
        }
        return new CellGradient(cell, contributions.ToEquatableArray());
    }
}
