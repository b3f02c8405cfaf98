using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Model;
using RnnGen.Generators.Operations;

namespace RnnGen.Generators.Analysis;

/// <summary>
/// The second stage: infers the size of every value and the shape of every weight, and reports
/// what does not fit. Sizes are symbolic (input, hidden), because a cell works at any size.
/// </summary>
internal static class ShapeChecker
{
    public static StageResult<CellModel> Check(StageResult<CellModel> parsed)
    {
        if (parsed.Value is not { } cell) return parsed;
        var diagnostics = new List<DiagnosticInfo>(parsed.Diagnostics);
        var nodes = cell.Nodes;
        var sizes = new Size[nodes.Count];
        var parameters = cell.Parameters.ToArray();
        var weightSizes = new Size?[parameters.Length];
        var used = new bool[parameters.Length];
        bool failed = false;
        string? inputElementwise = null;

        void Fail(DiagnosticInfo info)
        {
            diagnostics.Add(info);
            failed = true;
        }

        foreach (var node in nodes)
        {
            switch (node.Kind)
            {
                case NodeKind.Input: sizes[node.Id] = Size.Input; break;
                case NodeKind.State: sizes[node.Id] = Size.Hidden; break;
                case NodeKind.Constant: sizes[node.Id] = Size.Scalar; break;
                case NodeKind.Bias:
                    sizes[node.Id] = Size.Hidden;
                    used[node.Param] = true;
                    break;
                case NodeKind.MatVec:
                {
                    used[node.Param] = true;
                    sizes[node.Id] = Size.Hidden;
                    var operand = sizes[node.A];
                    var operandNode = nodes[node.A];
                    if (operand == Size.Scalar)
                    {
                        Fail(DiagnosticInfo.Create(DiagnosticDescriptors.ShapeMismatch, node.Location, Text(node, cell), "matrix", "scalar"));
                    }
                    else if (operandNode.Kind == NodeKind.Bias)
                    {
                        Fail(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedExpression, node.Location, Text(node, cell),
                            "a weight times a bias is a constant; fold it into a bias instead"));
                    }
                    else if (weightSizes[node.Param] is { } earlier && earlier != operand)
                    {
                        Fail(DiagnosticInfo.Create(DiagnosticDescriptors.WeightUsedWithTwoSizes, node.Location,
                            parameters[node.Param].Field, Name(operand), Name(earlier)));
                    }
                    else
                    {
                        weightSizes[node.Param] = operand;
                    }
                    break;
                }
                case NodeKind.Output:
                    sizes[node.Id] = Elementwise(node.A);
                    if (sizes[node.Id] != Size.Hidden)
                        Fail(DiagnosticInfo.Create(DiagnosticDescriptors.ReturnedStateWrongSize, node.Location, Text(node, cell), Name(sizes[node.A])));
                    break;
                default: // elementwise: a scalar operand broadcasts, two vectors must have one size
                {
                    var op = OperationTable.Of(node.Kind);
                    Size a = Elementwise(node.A), b = op.Arity > 1 ? Elementwise(node.B) : a;
                    if (a != Size.Scalar && b != Size.Scalar && a != b)
                        Fail(DiagnosticInfo.Create(DiagnosticDescriptors.ShapeMismatch, node.Location, Text(node, cell), Name(a), Name(b)));
                    sizes[node.Id] = a == Size.Scalar ? b : a;
                    for (int k = 0; k < op.Parameters; k++)
                    {
                        int p = k == 0 ? node.Param : node.Param2;
                        used[p] = true;
                        // How a parameter of an operation starts: LayerNorm's gain at one, its bias at zero.
                        parameters[p] = op.ParameterInit[k] == 1 ? parameters[p] with { IsGain = true } : parameters[p] with { IsNormBias = true };
                    }
                    break;
                }
            }

            // The size of an operand read elementwise. The input read so is read beside hidden-sized values, element by
            // element: the cell then needs input size = hidden size, which only its constructor knows, so the first such
            // place is kept for the message it gives when they differ.
            Size Elementwise(int operand)
            {
                if (nodes[operand].Kind != NodeKind.Input) return sizes[operand];
                inputElementwise ??= node.Kind == NodeKind.Output
                    ? node.StateIndex >= cell.DeclaredStates
                        ? $"Prev({cell.InputName})"
                        : $"the next {cell.StateNames[node.StateIndex]} is {cell.InputName}"
                    : $"'{Text(node, cell)}'";
                return Size.Hidden;
            }
        }

        for (int i = 0; i < parameters.Length; i++)
        {
            if (!used[i])
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnusedParameter, parameters[i].Location, parameters[i].Field));
            if (weightSizes[i] is { } columns) parameters[i] = parameters[i] with { Columns = columns };
            else if (parameters[i].Kind == ParameterKind.Bias) parameters[i] = parameters[i] with { Columns = Size.Scalar };
        }

        foreach (var pack in parameters.Where(p => p.Pack is not null).GroupBy(p => p.Pack))
        {
            var members = pack.ToList();
            if (members.Any(m => m.Kind != members[0].Kind || m.Columns != members[0].Columns))
            {
                var odd = members.First(m => m.Kind != members[0].Kind || m.Columns != members[0].Columns);
                Fail(DiagnosticInfo.Create(DiagnosticDescriptors.InvalidPack, odd.Location, pack.Key!,
                    $"'{odd.Field}' is a {Describe(odd)} but '{members[0].Field}' is a {Describe(members[0])}"));
            }
        }

        var result = failed ? null : cell with { Parameters = parameters.ToEquatableArray(), InputElementwise = inputElementwise };
        return new StageResult<CellModel>(result, diagnostics.ToEquatableArray());
    }

    private static string Describe(ParameterModel p) =>
        p.Kind == ParameterKind.Bias ? "bias" : p.Columns == Size.Input ? "weight applied to the input" : "weight applied to hidden-sized values";

    private static string Name(Size size) => size switch { Size.Input => "input", Size.Hidden => "hidden", _ => "scalar" };

    private static string Text(Node node, CellModel cell) => node.Name ?? ExpressionText.Of(node, cell);
}
