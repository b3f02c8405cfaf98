using System.Linq;
using RnnGen.Generators.Model;

namespace RnnGen.Generators.Emit;

internal sealed partial class CellEmitter
{
    // The fused passes run millions of times in a training run: compile them fully optimised at once
    // instead of through the tiers, so that short runs and benchmarks see the same code as long ones.
    private const string HotPath = "[__System.Runtime.CompilerServices.MethodImpl(__System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]";

    private static string Span(string type, bool readOnly = false) => $"{Sys}.{(readOnly ? "ReadOnlySpan" : "Span")}<{type}>";

    private string Label(int id) => _nodes[id].Kind == NodeKind.Output ? StateName(_nodes[id].StateIndex) + "'" : _names[id];

    /// <summary>A node as one operation on its operands' names (<c>v32 = v30 + b_ho</c>): the comment above its adjoints.</summary>
    private string OperandText(Node n)
    {
        string O(int id)
        {
            var o = _nodes[id];
            return o.Kind switch
            {
                NodeKind.Constant => ExpressionText.Number(o.Value),
                NodeKind.MatVec => $"{Field(o.Param)} * {_names[o.A]}",
                _ => Label(id),
            };
        }
        return n.Kind switch
        {
            NodeKind.Add => $"{O(n.A)} + {O(n.B)}",
            NodeKind.Subtract => $"{O(n.A)} - {O(n.B)}",
            NodeKind.Multiply => $"{O(n.A)} * {O(n.B)}",
            NodeKind.Negate => $"-{O(n.A)}",
            NodeKind.LayerNorm => $"LayerNorm({O(n.A)}, {Field(n.Param)}, {Field(n.Param2)})",
            NodeKind.Identity or NodeKind.Output => O(n.A),
            _ => $"{n.Kind}({O(n.A)})",
        };
    }

    private static string Dispatch(string method, int pass, int segment, bool only) =>
        (only ? "" : $"if (pass == {pass} && segment == {segment}) ") + $"{method}Pass{pass}Segment{segment}<T, TV>(ref f, firstRow, endRow, firstColumn, endColumn);";
}
