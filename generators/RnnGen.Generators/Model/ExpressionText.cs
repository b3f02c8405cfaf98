using System.Globalization;
using System.Linq;
using RnnGen.Generators.Operations;

namespace RnnGen.Generators.Model;

/// <summary>Renders IR nodes back into DSL-like text, for diagnostics and the comments above generated code.</summary>
internal static class ExpressionText
{
    public static string Of(Node node, CellModel cell, bool top = true)
    {
        if (!top && node.Name is not null && node.IsElementwise) return node.Name;
        var nodes = cell.Nodes;
        string Field(int param) => cell.Parameters[param].Field;
        string Sub(int id, Operation? user = null, bool right = false) =>
            user is not null && NeedsParentheses(nodes[id], user, right) ? "(" + Of(nodes[id], cell, top: false) + ")" : Of(nodes[id], cell, top: false);
        switch (node.Kind)
        {
            case NodeKind.Input: return cell.InputName;
            case NodeKind.State: return cell.StateNames[node.StateIndex];
            case NodeKind.Bias: return Field(node.Param);
            case NodeKind.Constant: return Number(node.Value);
            case NodeKind.MatVec: return $"{Field(node.Param)} * {Sub(node.A, OperationTable.Of(NodeKind.Multiply), right: true)}";
        }
        var op = OperationTable.Of(node.Kind);
        switch (op.Syntax)
        {
            case Syntax.Infix: return $"{Sub(node.A, op)} {op.DslName} {Sub(node.B, op, right: true)}";
            case Syntax.Prefix: return $"{op.DslName}{Sub(node.A, op)}";
            case Syntax.Call:
                var arguments = new[] { node.A, node.B }.Take(op.Arity).Select(a => Sub(a))
                    .Concat(new[] { node.Param, node.Param2 }.Take(op.Parameters).Select(Field));
                return $"{op.DslName}({string.Join(", ", arguments)})";
            default: return Sub(node.A); // Identity, Output: the value itself
        }
    }

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    // Sums need parentheses inside products and negations, and on the right of a subtraction; products and quotients on
    // the right of a quotient; named values and calls never do.
    private static bool NeedsParentheses(Node operand, Operation user, bool right) =>
        operand.Name is null && operand.IsElementwise && OperationTable.Of(operand.Kind) is { Syntax: Syntax.Infix } infix
        && (infix.Precedence == 1 ? user.Precedence > 1 || (right && !user.Associative)
            : infix.Precedence == 2 && right && !user.Associative && user.Precedence == 2);
}
