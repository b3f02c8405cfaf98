using System.Linq;
using RnnGen.Generators.Differentiation;
using RnnGen.Generators.Model;
using RnnGen.Generators.Operations;

namespace RnnGen.Generators.Emit;

/// <summary>
/// Renders the operation table's SIMD text and terms as C#: the emitter's only knowledge of what an operation
/// computes. Parentheses follow the table's precedences, so a term tree renders in the order it evaluates.
/// </summary>
internal static class OperationText
{
    /// <summary>The forward value of an elementwise node, from its operands' text.</summary>
    public static string Forward(Node node, ITermContext context)
    {
        var op = OperationTable.Of(node.Kind);
        if (op.Forward is { } term) return Render(term.On(node), context);
        if (op.Simd is null) throw new System.InvalidOperationException($"operation {node.Kind} has no SIMD text");
        return Format(op.Simd, context.Value(node.A), node.B >= 0 ? context.Value(node.B) : "");
    }

    /// <summary>An instantiated term.</summary>
    public static string Render(Term term, ITermContext context) => term.Kind switch
    {
        TermKind.Adjoint => context.Adjoint(),
        TermKind.Value => context.Value(term.Id),
        TermKind.Parameter => context.Parameter(term.Id),
        TermKind.Constant => Constant(term.Number),
        TermKind.Statistic => context.Statistic(term.Id, term.Name!),
        TermKind.Apply => Apply(term, context),
        _ => throw new System.InvalidOperationException("a " + term.Kind + " term is computed by a row kernel, not rendered"),
    };

    public static string Constant(double value) => $"TV.Constant({ExpressionText.Number(value)})";

    // ---- Row statistics ------------------------------------------------------------------------

    /// <summary>
    /// Where the runtime driver keeps a node's row statistic <paramref name="name"/> (RnnGen.Recurrence.RecurrenceFrame):
    /// the frame's buffer <see cref="RowStatistic.Frame"/> of the node, read at <paramref name="row"/> (the row of the
    /// sequence batch) for a forward statistic and at <paramref name="batchRow"/> for a backward one; statistics that
    /// share a buffer lie side by side in each row, in table order.
    /// </summary>
    public static (string Frame, string Index) StatisticPlace(Operation op, string name, string row, string batchRow)
    {
        var statistic = op.Statistics.Single(s => s.Name == name);
        var sharing = op.Statistics.Where(s => s.Frame == statistic.Frame).ToList();
        string at = statistic.Backward ? batchRow : row;
        int k = sharing.IndexOf(statistic);
        return (statistic.Frame, sharing.Count == 1 ? at : $"{sharing.Count} * {at}" + (k > 0 ? $" + {k}" : ""));
    }

    private static string Apply(Term term, ITermContext context)
    {
        var op = OperationTable.Of(term.Op);
        string a = Operand(op, term.A!, context, right: false);
        string b = term.B is null ? "" : Operand(op, term.B, context, right: true);
        return Format(op.Simd!, a, b);
    }

    // An operand is wrapped when it binds less tightly than its user, or as tightly on the right (a - (b - c)).
    private static string Operand(Operation user, Term operand, ITermContext context, bool right)
    {
        string text = Render(operand, context);
        int precedence = operand.Kind == TermKind.Apply ? OperationTable.Of(operand.Op).Precedence : 4;
        return precedence < user.Precedence || (right && precedence == user.Precedence && user.Precedence < 4) ? "(" + text + ")" : text;
    }

    // The operands into the template; one that is a whole call argument (or the whole text) loses its outer parentheses.
    private static string Format(string template, string a, string b)
    {
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < template.Length; i++)
        {
            if (template[i] == '{' && i + 2 < template.Length && template[i + 2] == '}')
            {
                string operand = template[i + 1] == '0' ? a : b;
                bool whole = (i == 0 || template[i - 1] == '(' || template[i - 1] == ' ' && template[i - 2] == ',')
                             && (i + 3 == template.Length || template[i + 3] == ')' || template[i + 3] == ',');
                text.Append(whole ? Strip(operand) : operand);
                i += 2;
            }
            else
            {
                text.Append(template[i]);
            }
        }
        return text.ToString();
    }

    private static string Strip(string text) =>
        text.Length > 1 && text[0] == '(' && text[text.Length - 1] == ')' && Balanced(text) ? text.Substring(1, text.Length - 2) : text;

    // Whether the opening parenthesis closes at the very end: "(a) * (b)" is not one parenthesised expression.
    private static bool Balanced(string text)
    {
        int depth = 0;
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
            if (depth == 0 && i < text.Length - 1) return false;
        }
        return true;
    }
}
