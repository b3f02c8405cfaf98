using System;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Model;
using RnnGen.Generators.Operations;
using System.Collections.Generic;

namespace RnnGen.Generators.Parsing;

// Expressions: operators, names, weight products, RnnGen.Ops calls, constant folding and the node table.
internal sealed partial class CellParser
{
    /// <summary>Parses an expression into nodes; returns the node id, or -1 after reporting a diagnostic.</summary>
    private int ParseExpression(ExpressionSyntax expression)
    {
        _cancellation.ThrowIfCancellationRequested();
        var location = LocationInfo.From(expression);
        switch (expression)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return ParseExpression(parenthesized.Expression);

            case LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.NumericLiteralExpression):
                return Constant(Convert.ToDouble(literal.Token.Value, CultureInfo.InvariantCulture), location);

            case PrefixUnaryExpressionSyntax unary when OperationTable.Named(unary.OperatorToken.Text, Syntax.Prefix) is { } op:
            {
                int operand = ParseExpression(unary.Operand);
                if (operand < 0) return -1;
                return Apply(op, location, operand);
            }
            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryPlusExpression):
                return ParseExpression(unary.Operand);

            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.MultiplyExpression) && WeightField(binary.Left) is { } weight:
            {
                if (WeightField(binary.Right) is not null)
                    return Unsupported(binary, "a weight can only multiply a vector ('W * v')");
                // W * Prev(x) is the product of the previous input, carried from step to step as a state of its own.
                if (PrevCall(binary.Right) is { } prev)
                    return CheckPrev(prev) ? PreviousProduct(weight, location) : -1;
                int operand = ParseExpression(binary.Right);
                if (operand < 0) return -1;
                return Add(new Node(0, NodeKind.MatVec, A: operand, Param: weight, Location: location));
            }
            case BinaryExpressionSyntax binary when OperationTable.Named(binary.OperatorToken.Text, Syntax.Infix) is { } op:
            {
                if (WeightField(binary.Right) is not null)
                    return Unsupported(binary, "write the weight on the left of the product ('W * v')");
                int left = ParseExpression(binary.Left);
                if (left < 0) return -1;
                int right = ParseExpression(binary.Right);
                if (right < 0) return -1;
                return Apply(op, location, left, right);
            }
            case BinaryExpressionSyntax binary:
                return Unsupported(binary, $"the operator '{binary.OperatorToken.Text}' is not part of the DSL; use {Listed(OperationTable.Operators, "and")}");

            case IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax }:
                return ParseName(expression, location);

            case InvocationExpressionSyntax invocation:
                return ParseCall(invocation, location);

            default:
                return Unsupported(expression, $"use {Listed(OperationTable.Operators, "and")}, numbers, the Step parameters, locals, Weight and Bias fields, and the functions of RnnGen.Ops");
        }
    }

    private int ParseName(ExpressionSyntax expression, LocationInfo? location)
    {
        string name = expression is MemberAccessExpressionSyntax member ? member.Name.Identifier.ValueText : ((IdentifierNameSyntax)expression).Identifier.ValueText;
        bool viaThis = expression is MemberAccessExpressionSyntax;
        if (!viaThis && _locals.TryGetValue(name, out int local)) return local;
        if (!viaThis && name == _inputName) return Add(new Node(0, NodeKind.Input, Name: name));
        if (!viaThis && Array.IndexOf(_stateNames, name) is var state and >= 0) return Add(new Node(0, NodeKind.State, StateIndex: state, Name: name));
        if (_parameterIndex.TryGetValue(name, out int parameter) && IsField(expression))
        {
            if (_parameters[parameter].Kind == ParameterKind.Weight)
                return Unsupported(expression, $"the weight '{name}' can only be used in a product with a vector ('{name} * v')");
            return Add(new Node(0, NodeKind.Bias, Param: parameter, Name: name));
        }
        return Unsupported(expression, "only the Step parameters, earlier locals and the cell's Weight and Bias fields can be used");
    }

    private bool IsField(ExpressionSyntax expression) =>
        _model.GetSymbolInfo(expression, _cancellation).Symbol is IFieldSymbol { IsStatic: false };

    private int? WeightField(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax p) expression = p.Expression;
        return ParameterField(expression, ParameterKind.Weight);
    }

    private int ParseCall(InvocationExpressionSyntax invocation, LocationInfo? location)
    {
        // A call the compiler could not bind (the wrong number of arguments, which it reports too) still names its
        // function among the candidates: the check of its arguments below then says what it takes.
        var info = _model.GetSymbolInfo(invocation, _cancellation);
        var method = info.Symbol as IMethodSymbol
                     ?? (info.CandidateReason == CandidateReason.OverloadResolutionFailure ? info.CandidateSymbols.OfType<IMethodSymbol>().FirstOrDefault() : null);
        if (method is null || method.ContainingType?.ToDisplayString() != OpsType)
            return Unsupported(invocation, $"only the functions of RnnGen.Ops ({string.Join(", ", OperationTable.Functions.Append(PrevName))}) can be called");
        var arguments = invocation.ArgumentList.Arguments;
        if (arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None)))
            return Unsupported(invocation, "pass the arguments of RnnGen.Ops functions by position");

        if (method.Name == PrevName)
            return CheckPrev(invocation) ? PreviousInput(location) : -1;

        var op = OperationTable.Named(method.Name, Syntax.Call);
        if (op is null)
            return Unsupported(invocation, $"RnnGen.Ops.{method.Name} is not supported by this version of the generator");
        if (arguments.Count != op.Arity + op.Parameters)
            return Unsupported(invocation, op.Parameters == 0
                ? $"{op.DslName} takes {Counted(op.Arity, "vector")}"
                : $"{op.DslName} takes {Counted(op.Arity, "vector")} and then {Counted(op.Parameters, "Bias field")}");

        // The parameters (LayerNorm's gain and bias) are Bias fields of the cell, after the vector operands.
        var parameters = new int[op.Parameters];
        for (int k = 0; k < op.Parameters; k++)
        {
            parameters[k] = BiasField(arguments[op.Arity + k].Expression);
            if (parameters[k] < 0)
                return Unsupported(invocation, $"the last {Counted(op.Parameters, "argument")} of {op.DslName} must be Bias fields of the cell");
        }
        var operands = new int[op.Arity];
        for (int k = 0; k < op.Arity; k++)
        {
            operands[k] = ParseExpression(arguments[k].Expression);
            if (operands[k] < 0) return -1;
        }
        if (op.Parameters > 0)
            return Add(new Node(0, op.Kind, A: operands[0], B: op.Arity > 1 ? operands[1] : -1,
                Param: parameters[0], Param2: op.Parameters > 1 ? parameters[1] : -1, Location: location));
        return Apply(op, location, operands);
    }

    /// <summary>An elementwise node of the operation over the operands, or the constant it folds to when they all are.</summary>
    private int Apply(Operation op, LocationInfo? location, params int[] operands)
    {
        if (op.Fold is { } fold && operands.All(o => _nodes[o].Kind == NodeKind.Constant))
            return Constant(fold(_nodes[operands[0]].Value, operands.Length > 1 ? _nodes[operands[1]].Value : 0), location);
        return Add(new Node(0, op.Kind, A: operands[0], B: operands.Length > 1 ? operands[1] : -1, Location: location));
    }

    private static string Counted(int count, string what) => count == 1 ? "one " + what : $"{count} {what}s";

    private static string Listed(IEnumerable<string> items, string last)
    {
        var list = items.ToList();
        return list.Count == 1 ? list[0] : string.Join(", ", list.Take(list.Count - 1)) + " " + last + " " + list[list.Count - 1];
    }

    private int BiasField(ExpressionSyntax expression) => ParameterField(expression, ParameterKind.Bias) ?? -1;

    // The parameter of the given kind that the expression names (a plain name that is not a local, or this.name), or null.
    // WeightField looks through parentheses first; BiasField does not.
    private int? ParameterField(ExpressionSyntax expression, ParameterKind kind)
    {
        string? name = expression switch
        {
            IdentifierNameSyntax id when !_locals.ContainsKey(id.Identifier.ValueText) => id.Identifier.ValueText,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } m => m.Name.Identifier.ValueText,
            _ => null,
        };
        return name is not null && _parameterIndex.TryGetValue(name, out int index)
               && _parameters[index].Kind == kind && IsField(expression)
            ? index : null;
    }

    private int Constant(double value, LocationInfo? location) => Add(new Node(0, NodeKind.Constant, Value: value, Location: location));

    /// <summary>Adds a node, or returns the existing identical one: W * x written twice is one product.</summary>
    private int Add(Node node)
    {
        var key = (node.Kind, node.A, node.B, node.Param, node.Param2, node.StateIndex, node.Value);
        if (node.Kind != NodeKind.Output && _unique.TryGetValue(key, out int existing)) return existing;
        int id = _nodes.Count;
        _nodes.Add(node with { Id = id });
        _unique[key] = id;
        return id;
    }

    private int Unsupported(SyntaxNode syntax, string hint)
    {
        Report(DiagnosticDescriptors.UnsupportedExpression, syntax, Shorten(syntax.ToString()), hint);
        return -1;
    }
}
