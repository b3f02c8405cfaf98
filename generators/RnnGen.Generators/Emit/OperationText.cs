using System.Collections.Generic;
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

    /// <summary>Where a row statistic of the node named <paramref name="y"/> lives in a frame: a forward one per step and
    /// row (<paramref name="row"/>), a backward one for the row being differentiated.</summary>
    public static string StatisticField(string frame, RowStatistic statistic, string y, string row) =>
        $"{frame}.{statistic.Name}_{y}" + (statistic.Backward ? "" : $"[{row}]");

    /// <summary>The frame's fields for a node's row statistics.</summary>
    public static IEnumerable<string> StatisticFields(Node node, string y)
    {
        var statistics = OperationTable.Of(node.Kind).Statistics;
        var forward = statistics.Where(s => !s.Backward).Select(s => $"{s.Name}_{y}").ToList();
        var backward = statistics.Where(s => s.Backward).Select(s => $"{s.Name}_{y}").ToList();
        if (forward.Count > 0) yield return $"public global::System.Span<T> {string.Join(", ", forward)}; // [steps, batch]";
        if (backward.Count > 0) yield return $"public T {string.Join(", ", backward)}; // row means for the backward pass";
    }

    /// <summary>The forward statistics a node keeps on the tape, one [steps, batch] buffer each.</summary>
    public static IEnumerable<string> TapeStatistics(Node node, string y) =>
        OperationTable.Of(node.Kind).Statistics.Where(s => !s.Backward).Select(s => $"{s.Name}_{y}");

    /// <summary>
    /// The call of one of an operation's row kernels (<see cref="Operation.ForwardKernel"/>, <see cref="Operation.BackwardKernel"/>)
    /// for one row, as a statement: {A}, {Adjoint}, {Param0}, {Param1} from the emitter, statistics from the frame.
    /// </summary>
    public static string RowKernel(string template, Node node, string y, string row, string operandRow, string adjointRow, System.Func<int, string> parameter)
    {
        var statistics = OperationTable.Of(node.Kind).Statistics;
        return System.Text.RegularExpressions.Regex.Replace(template, @"\{(\w+)\}", m => m.Groups[1].Value switch
        {
            "A" => operandRow,
            "Adjoint" => adjointRow,
            "Param0" => parameter(node.Param),
            "Param1" => parameter(node.Param2),
            var name => StatisticField("f", statistics.Single(s => s.Name == name), y, row),
        }) + ";";
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
