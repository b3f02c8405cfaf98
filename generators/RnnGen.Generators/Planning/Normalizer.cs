using System.Collections.Generic;
using RnnGen.Generators.Model;

namespace RnnGen.Generators.Planning;

/// <summary>
/// Rewrites a checked cell so that the plan has only two kinds of matrix-product operand (a state, or
/// an elementwise value saved per step) and so that a row-wise operation (LayerNorm) always reads an
/// elementwise value of its own pass: a product or bias in those places is first copied by an Identity node.
/// </summary>
internal static class Normalizer
{
    public static CellModel Normalize(CellModel cell)
    {
        var nodes = new List<Node>();
        var map = new int[cell.Nodes.Count];
        var copies = new Dictionary<int, int>();

        int Copy(int operand)
        {
            if (copies.TryGetValue(operand, out int existing)) return existing;
            int id = nodes.Count;
            nodes.Add(new Node(id, NodeKind.Identity, A: operand, Name: null, Location: nodes[operand].Location));
            copies[operand] = id;
            return id;
        }

        foreach (var old in cell.Nodes)
        {
            var node = old with
            {
                A = old.A >= 0 ? map[old.A] : -1,
                B = old.B >= 0 ? map[old.B] : -1,
            };
            bool needsCopy = node.Kind == NodeKind.MatVec
                ? nodes[node.A].Kind is NodeKind.MatVec or NodeKind.Bias
                : Operations.OperationTable.Of(node.Kind).IsRowwise && nodes[node.A].IsLeaf;
            if (needsCopy) node = node with { A = Copy(node.A) };
            map[old.Id] = nodes.Count;
            nodes.Add(node with { Id = nodes.Count });
        }

        var outputs = new List<int>();
        foreach (int output in cell.Outputs) outputs.Add(map[output]);
        return cell with { Nodes = nodes.ToEquatableArray(), Outputs = outputs.ToEquatableArray() };
    }
}
