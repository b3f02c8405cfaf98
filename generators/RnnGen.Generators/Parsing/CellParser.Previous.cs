using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Model;

namespace RnnGen.Generators.Parsing;

// Ops.Prev(x), the input one step earlier. It is not an operation of the IR: each use becomes a state that the generator
// adds after the declared ones, whose next value is what Prev reads at the next step. W * Prev(x) becomes the state
// "W_xPrev", next value W * x (a product of the input, computed for all steps at once like any other); Prev(x) used
// elementwise becomes the state "xPrev", next value x itself (which needs input size = hidden size). Being states,
// they start at zero, are carried between windows, sessions and ONNX steps, and pass their adjoints back through
// time like any state: nothing after the parser knows Prev exists. docs/ARCHITECTURE.md says why.
internal sealed partial class CellParser
{
    private const string PrevName = "Prev";

    /// <summary>A state added for Prev: its name, the weight whose product of x it carries (-1: x itself), and where it
    /// is first read (so that a weight that W * Prev(x) gives two sizes is reported there).</summary>
    private readonly record struct PreviousState(string Name, int Weight, LocationInfo? Location);

    private readonly List<PreviousState> _previous = new();

    /// <summary>The call of Ops.Prev that the expression is (inside any parentheses), or null.</summary>
    private InvocationExpressionSyntax? PrevCall(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax p) expression = p.Expression;
        return expression is InvocationExpressionSyntax invocation
               && _model.GetSymbolInfo(invocation, _cancellation).Symbol is IMethodSymbol { Name: PrevName } method
               && method.ContainingType?.ToDisplayString() == OpsType
            ? invocation : null;
    }

    /// <summary>Whether a Prev call takes the cell's input itself; reports it when not.</summary>
    private bool CheckPrev(InvocationExpressionSyntax invocation)
    {
        var arguments = invocation.ArgumentList.Arguments;
        var argument = arguments.Count == 1 ? arguments[0].Expression : null;
        while (argument is ParenthesizedExpressionSyntax p) argument = p.Expression;
        if (argument is IdentifierNameSyntax id && id.Identifier.ValueText == _inputName) return true;
        string why = argument is not null && PrevCall(argument) is not null
            ? "; the input two steps back (Prev of Prev) is not supported"
            : "; the previous value of a state is the state itself, and of any other value, a state that the step returns";
        Report(DiagnosticDescriptors.InvalidPrev, invocation, Shorten(invocation.ToString()), _inputName, why);
        return false;
    }

    /// <summary>The state that holds W * x of the step before, for this weight: one per weight, however often it is used.</summary>
    private int PreviousProduct(int weight, LocationInfo? location)
    {
        int k = _previous.FindIndex(p => p.Weight == weight);
        if (k < 0) k = AddPrevious(_parameters[weight].Field + "_" + _inputName + PrevName, weight, location);
        return PreviousStateNode(k);
    }

    /// <summary>The state that holds x of the step before.</summary>
    private int PreviousInput(LocationInfo? location)
    {
        int k = _previous.FindIndex(p => p.Weight < 0);
        if (k < 0) k = AddPrevious(_inputName + PrevName, -1, location);
        return PreviousStateNode(k);
    }

    private int AddPrevious(string wanted, int weight, LocationInfo? location)
    {
        // A state's name is part of the generated buffers' names: unique among the declared states and the input.
        string name = wanted;
        for (int n = 2; name == _inputName || System.Array.IndexOf(_stateNames, name) >= 0 || _previous.Exists(p => p.Name == name); n++)
            name = wanted + n;
        _previous.Add(new PreviousState(name, weight, location));
        return _previous.Count - 1;
    }

    private int PreviousStateNode(int k) =>
        Add(new Node(0, NodeKind.State, StateIndex: _stateNames.Length + k, Name: _previous[k].Name));

    /// <summary>After the declared states' next values: each added state's, which is what Prev reads one step later.</summary>
    private void AddPreviousOutputs(List<int> outputs, List<string> equations)
    {
        for (int k = 0; k < _previous.Count; k++)
        {
            var state = _previous[k];
            int input = Add(new Node(0, NodeKind.Input, Name: _inputName));
            int value = state.Weight < 0 ? input : Add(new Node(0, NodeKind.MatVec, A: input, Param: state.Weight, Location: state.Location));
            outputs.Add(Add(new Node(0, NodeKind.Output, A: value, StateIndex: _stateNames.Length + k, Name: state.Name + "Next", Location: state.Location)));
            string read = state.Weight < 0 ? $"{PrevName}({_inputName})" : $"{_parameters[state.Weight].Field} * {PrevName}({_inputName})";
            string next = state.Weight < 0 ? _inputName : $"{_parameters[state.Weight].Field} * {_inputName}";
            equations.Add($"{state.Name} = {next}, carried to the next step as its {read}");
        }
    }
}
