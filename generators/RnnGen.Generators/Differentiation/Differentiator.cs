using System.Collections.Generic;
using RnnGen.Generators.Model;
using RnnGen.Generators.Operations;

namespace RnnGen.Generators.Differentiation;

/// <summary>
/// The third stage: reverse-mode differentiation of the cell IR. Each elementwise node pushes its adjoint to its
/// operands (and parameters) through the local derivatives its entry in the operation table gives. Products by
/// weights are not elementwise: the plan turns their adjoints into matrix products.
/// </summary>
internal static class Differentiator
{
    public static CellGradient Differentiate(CellModel cell)
    {
        var contributions = new List<Contribution>();
        foreach (var node in cell.Nodes)
        {
            if (node.IsLeaf) continue;
            foreach (var derivative in OperationTable.Of(node.Kind).Derivatives)
            {
                var term = derivative.Term.On(node);
                if (derivative.Target == DerivativeTarget.Parameter)
                {
                    contributions.Add(new Contribution(node.Id, -1, derivative.Index == 0 ? node.Param : node.Param2, term));
                    continue;
                }
                int operand = derivative.Index == 0 ? node.A : node.B;
                // Constants have no adjoint to receive. The input receives one where it is read elementwise; the
                // driver adds the adjoints of its products to it.
                if (cell.Nodes[operand].Kind is not NodeKind.Constant)
                    contributions.Add(new Contribution(node.Id, operand, -1, term));
            }
        }
        return new CellGradient(cell, contributions.ToEquatableArray());
    }
}
