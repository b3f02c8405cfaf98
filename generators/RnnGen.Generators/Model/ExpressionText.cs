using System.Globalization;

namespace RnnGen.Generators.Model;

/// <summary>Renders IR nodes back into DSL-like text, for diagnostics and the comments above generated code.</summary>
internal static class ExpressionText
{
    public static string Of(Node node, CellModel cell, bool top = true)
    {
        if (!top && node.Name is not null && node.IsElementwise) return node.Name;
        var nodes = cell.Nodes;
        string Sub(int id) => Of(nodes[id], cell, top: false);
        string Field(int param) => cell.Parameters[param].Field;
        return node.Kind switch
        {
            NodeKind.Input => cell.InputName,
            NodeKind.State => cell.StateNames[node.StateIndex],
            NodeKind.Bias => Field(node.Param),
            NodeKind.Constant => Number(node.Value),
            NodeKind.MatVec => $"{Field(node.Param)} * {Wrap(nodes[node.A], Sub(node.A))}",
            NodeKind.Add => $"{Sub(node.A)} + {Sub(node.B)}",
            NodeKind.Subtract => $"{Sub(node.A)} - {Wrap(nodes[node.B], Sub(node.B))}",
            NodeKind.Multiply => $"{Wrap(nodes[node.A], Sub(node.A))} * {Wrap(nodes[node.B], Sub(node.B))}",
            NodeKind.Negate => $"-{Wrap(nodes[node.A], Sub(node.A))}",
            NodeKind.LayerNorm => $"LayerNorm({Sub(node.A)}, {Field(node.Param)}, {Field(node.Param2)})",
            NodeKind.Identity or NodeKind.Output => Sub(node.A),
            _ => $"{node.Kind}({Sub(node.A)})",
        };
    }

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    // Sums need parentheses inside products and negations; named values and calls never do.
    private static string Wrap(Node node, string text) =>
        node.Kind is NodeKind.Add or NodeKind.Subtract && node.Name is null ? "(" + text + ")" : text;
}
