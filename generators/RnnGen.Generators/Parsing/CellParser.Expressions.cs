using System;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Model;

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

            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryMinusExpression):
            {
                int operand = ParseExpression(unary.Operand);
                if (operand < 0) return -1;
                return _nodes[operand].Kind == NodeKind.Constant
                    ? Constant(-_nodes[operand].Value, location)
                    : Add(new Node(0, NodeKind.Negate, A: operand, Location: location));
            }
            case PrefixUnaryExpressionSyntax unary when unary.IsKind(SyntaxKind.UnaryPlusExpression):
                return ParseExpression(unary.Operand);

            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.MultiplyExpression) && WeightField(binary.Left) is { } weight:
            {
                if (WeightField(binary.Right) is not null)
                    return Unsupported(binary, "a weight can only multiply a vector ('W * v')");
                int operand = ParseExpression(binary.Right);
                if (operand < 0) return -1;
                return Add(new Node(0, NodeKind.MatVec, A: operand, Param: weight, Location: location));
            }
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.AddExpression) || binary.IsKind(SyntaxKind.SubtractExpression) || binary.IsKind(SyntaxKind.MultiplyExpression):
            {
                if (WeightField(binary.Right) is not null)
                    return Unsupported(binary, "write the weight on the left of the product ('W * v')");
                int left = ParseExpression(binary.Left);
                if (left < 0) return -1;
                int right = ParseExpression(binary.Right);
                if (right < 0) return -1;
                var kind = binary.Kind() switch
                {
                    SyntaxKind.AddExpression => NodeKind.Add,
                    SyntaxKind.SubtractExpression => NodeKind.Subtract,
                    _ => NodeKind.Multiply,
                };
                if (_nodes[left].Kind == NodeKind.Constant && _nodes[right].Kind == NodeKind.Constant)
                {
                    double a = _nodes[left].Value, b = _nodes[right].Value;
                    return Constant(kind switch { NodeKind.Add => a + b, NodeKind.Subtract => a - b, _ => a * b }, location);
                }
                return Add(new Node(0, kind, A: left, B: right, Location: location));
            }
            case BinaryExpressionSyntax binary:
                return Unsupported(binary, $"the operator '{binary.OperatorToken.Text}' is not part of the DSL; use +, - and *");

            case IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax }:
                return ParseName(expression, location);

            case InvocationExpressionSyntax invocation:
                return ParseCall(invocation, location);

            default:
                return Unsupported(expression, "use +, -, *, numbers, the Step parameters, locals, Weight and Bias fields, and the functions of RnnGen.Ops");
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
        var method = _model.GetSymbolInfo(invocation, _cancellation).Symbol as IMethodSymbol;
        if (method is null || method.ContainingType?.ToDisplayString() != OpsType)
            return Unsupported(invocation, "only the functions of RnnGen.Ops (Sigmoid, Tanh, Relu, Exp, LayerNorm) can be called");
        var arguments = invocation.ArgumentList.Arguments;
        if (arguments.Any(a => a.NameColon is not null || !a.RefKindKeyword.IsKind(SyntaxKind.None)))
            return Unsupported(invocation, "pass the arguments of RnnGen.Ops functions by position");

        if (method.Name == "LayerNorm")
        {
            if (arguments.Count != 3) return Unsupported(invocation, "LayerNorm takes a vector, a gain Bias and a bias Bias");
            int gain = BiasField(arguments[1].Expression), bias = BiasField(arguments[2].Expression);
            if (gain < 0 || bias < 0)
                return Unsupported(invocation, "the gain and bias of LayerNorm must be Bias fields of the cell");
            int v = ParseExpression(arguments[0].Expression);
            if (v < 0) return -1;
            return Add(new Node(0, NodeKind.LayerNorm, A: v, Param: gain, Param2: bias, Location: location));
        }

        NodeKind? kind = method.Name switch
        {
            "Sigmoid" => NodeKind.Sigmoid,
            "Tanh" => NodeKind.Tanh,
            "Relu" => NodeKind.Relu,
            "Exp" => NodeKind.Exp,
            _ => null,
        };
        if (kind is null || arguments.Count != 1)
            return Unsupported(invocation, $"RnnGen.Ops.{method.Name} is not supported by this version of the generator");
        int operand = ParseExpression(arguments[0].Expression);
        if (operand < 0) return -1;
        if (_nodes[operand].Kind == NodeKind.Constant)
        {
            double a = _nodes[operand].Value;
            return Constant(kind switch
            {
                NodeKind.Sigmoid => 1 / (1 + Math.Exp(-a)),
                NodeKind.Tanh => Math.Tanh(a),
                NodeKind.Relu => Math.Max(a, 0),
                _ => Math.Exp(a),
            }, location);
        }
        return Add(new Node(0, kind.Value, A: operand, Location: location));
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
