using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Model;

namespace RnnGen.Generators.Parsing;

/// <summary>
/// The first stage: reads a [RecurrentCell] class declaration and its Step method into the cell IR.
/// This is the only stage that sees syntax and symbols; what it returns holds neither.
/// </summary>
internal sealed class CellParser
{
    private const string WeightType = "RnnGen.Weight";
    private const string BiasType = "RnnGen.Bias";
    private const string VecType = "RnnGen.Vec";
    private const string OpsType = "RnnGen.Ops";
    private const string PackedAttribute = "RnnGen.PackedAttribute";

    private readonly SemanticModel _model;
    private readonly CancellationToken _cancellation;
    private readonly List<DiagnosticInfo> _diagnostics = new();
    private readonly List<Node> _nodes = new();
    private readonly Dictionary<(NodeKind, int, int, int, int, int, double), int> _unique = new();
    private readonly Dictionary<string, int> _locals = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _parameterIndex = new(StringComparer.Ordinal);
    private readonly List<ParameterModel> _parameters = new();
    private string _inputName = "x";
    private string[] _stateNames = Array.Empty<string>();

    private CellParser(SemanticModel model, CancellationToken cancellation)
    {
        _model = model;
        _cancellation = cancellation;
    }

    public static StageResult<CellModel> Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellation)
    {
        var declaration = (ClassDeclarationSyntax)context.TargetNode;
        var symbol = (INamedTypeSymbol)context.TargetSymbol;
        var parser = new CellParser(context.SemanticModel, cancellation);
        try
        {
            var cell = parser.ParseCell(declaration, symbol);
            return new StageResult<CellModel>(cell, parser._diagnostics.ToEquatableArray());
        }
        catch (OperationCanceledException)
        {
            throw;
        }
        catch (Exception e)
        {
            parser._diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError,
                LocationInfo.From(declaration.Identifier), symbol.Name, e.GetType().Name + ": " + e.Message));
            return new StageResult<CellModel>(null, parser._diagnostics.ToEquatableArray());
        }
    }

    private CellModel? ParseCell(ClassDeclarationSyntax declaration, INamedTypeSymbol symbol)
    {
        var shape = DeclarationShape.Of(declaration, symbol);
        if (!shape.IsValid)
        {
            Report(DiagnosticDescriptors.CellMustBePartial, declaration.Identifier, symbol.Name, shape.Problem);
            return null;
        }

        CollectParameters(declaration);

        var steps = declaration.Members.OfType<MethodDeclarationSyntax>().Where(m => m.Identifier.ValueText == "Step").ToList();
        if (steps.Count == 0)
        {
            Report(DiagnosticDescriptors.MissingStep, declaration.Identifier, symbol.Name);
            return null;
        }
        if (steps.Count > 1)
        {
            Report(DiagnosticDescriptors.InvalidStepSignature, steps[1].Identifier, symbol.Name, "a cell has exactly one Step method");
            return null;
        }
        var step = steps[0];
        if (!CheckSignature(step, symbol.Name)) return null;

        var equations = new List<string>();
        var outputs = ParseBody(step, symbol.Name, equations);
        if (outputs is null || _diagnostics.Any(d => d.Descriptor.DefaultSeverity == DiagnosticSeverity.Error)) return null;

        string ns = symbol.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
        return new CellModel(
            ns.Length == 0 ? null : ns,
            shape.ContainingTypes,
            symbol.Name,
            SyntaxFacts.GetText(symbol.DeclaredAccessibility == Accessibility.Public ? Accessibility.Public : Accessibility.Internal),
            _inputName,
            _stateNames.ToEquatableArray(),
            _parameters.ToEquatableArray(),
            _nodes.ToEquatableArray(),
            outputs.ToEquatableArray(),
            equations.ToEquatableArray(),
            LocationInfo.From(declaration.Identifier));
    }

    // Parameters are the instance fields of type Weight or Bias, in declaration order.
    private void CollectParameters(ClassDeclarationSyntax declaration)
    {
        foreach (var field in declaration.Members.OfType<FieldDeclarationSyntax>())
        {
            var type = _model.GetTypeInfo(field.Declaration.Type, _cancellation).Type?.ToDisplayString();
            ParameterKind kind;
            if (type == WeightType) kind = ParameterKind.Weight;
            else if (type == BiasType) kind = ParameterKind.Bias;
            else continue;

            string? pack = null;
            foreach (var attribute in field.AttributeLists.SelectMany(l => l.Attributes))
            {
                if (_model.GetSymbolInfo(attribute, _cancellation).Symbol is IMethodSymbol ctor
                    && ctor.ContainingType.ToDisplayString() == PackedAttribute
                    && attribute.ArgumentList?.Arguments.Count == 1
                    && _model.GetConstantValue(attribute.ArgumentList.Arguments[0].Expression, _cancellation).Value is string name)
                {
                    pack = name;
                }
            }
            foreach (var variable in field.Declaration.Variables)
            {
                string fieldName = variable.Identifier.ValueText;
                if (_parameterIndex.ContainsKey(fieldName)) continue; // the compiler reports the duplicate
                _parameterIndex[fieldName] = _parameters.Count;
                _parameters.Add(new ParameterModel(fieldName, kind, pack, LocationInfo.From(variable.Identifier)));
            }
        }
    }

    private bool CheckSignature(MethodDeclarationSyntax step, string cellName)
    {
        string? problem = null;
        SyntaxNode where = step;
        var parameters = step.ParameterList.Parameters;
        if (step.TypeParameterList is not null)
        {
            problem = "it must not be generic";
            where = step.TypeParameterList;
        }
        else if (step.Modifiers.Any(SyntaxKind.StaticKeyword))
        {
            problem = "it must be an instance method";
        }
        else if (parameters.Count < 2)
        {
            problem = "it takes the input and at least one state, as in 'Step(Vec x, Vec h)'";
            where = step.ParameterList;
        }
        else
        {
            foreach (var p in parameters)
            {
                if (p.Modifiers.Count > 0 || p.Default is not null || p.Type is null || !IsVec(p.Type))
                {
                    problem = $"parameter '{p.Identifier.ValueText}' must be a plain 'Vec'";
                    where = p;
                    break;
                }
            }
        }
        if (problem is null)
        {
            int states = parameters.Count - 1;
            if (step.ReturnType is TupleTypeSyntax tuple)
            {
                if (tuple.Elements.Count != states || tuple.Elements.Any(e => !IsVec(e.Type)))
                {
                    problem = $"it takes {states} state(s), so it must return {(states == 1 ? "'Vec'" : $"a tuple of {states} 'Vec' values, one per state in the same order")}";
                    where = step.ReturnType;
                }
            }
            else if (!IsVec(step.ReturnType) || states != 1)
            {
                problem = $"it takes {states} state(s), so it must return {(states == 1 ? "'Vec'" : $"a tuple of {states} 'Vec' values, one per state in the same order")}";
                where = step.ReturnType;
            }
        }
        if (problem is null && step.Body is null && step.ExpressionBody is null)
        {
            problem = "it needs a body";
        }
        if (problem is not null)
        {
            Report(DiagnosticDescriptors.InvalidStepSignature, where, cellName, problem);
            return false;
        }

        var names = parameters.Select(p => p.Identifier.ValueText).ToArray();
        _inputName = names[0];
        _stateNames = names.Skip(1).ToArray();
        return true;
    }

    private bool IsVec(TypeSyntax type) => _model.GetTypeInfo(type, _cancellation).Type?.ToDisplayString() == VecType;

    private List<int>? ParseBody(MethodDeclarationSyntax step, string cellName, List<string> equations)
    {
        if (step.ExpressionBody is { } arrow)
        {
            equations.Add("return " + Normalize(arrow.Expression) + ";");
            return ParseReturn(arrow.Expression, step, cellName);
        }

        var statements = step.Body!.Statements;
        List<int>? outputs = null;
        for (int i = 0; i < statements.Count; i++)
        {
            _cancellation.ThrowIfCancellationRequested();
            var statement = statements[i];
            if (outputs is not null)
            {
                Report(DiagnosticDescriptors.UnsupportedStatement, statement, Describe(statement));
                return null;
            }
            switch (statement)
            {
                case LocalDeclarationStatementSyntax local when !local.IsConst && local.UsingKeyword == default
                                                             && (local.Declaration.Type.IsVar || IsVec(local.Declaration.Type)):
                    foreach (var variable in local.Declaration.Variables)
                    {
                        if (variable.Initializer is null)
                        {
                            Report(DiagnosticDescriptors.UnsupportedStatement, variable, variable.ToString());
                            return null;
                        }
                        int value = ParseExpression(variable.Initializer.Value);
                        if (value < 0) return null;
                        string name = variable.Identifier.ValueText;
                        if (_locals.ContainsKey(name) || _stateNames.Contains(name) || name == _inputName) return null; // the compiler reports it
                        _locals[name] = value;
                        if (_nodes[value].IsElementwise && _nodes[value].Name is null)
                            _nodes[value] = _nodes[value] with { Name = name };
                        equations.Add(name + " = " + Normalize(variable.Initializer.Value));
                    }
                    break;
                case ReturnStatementSyntax { Expression: { } returned }:
                    equations.Add("return " + Normalize(returned));
                    outputs = ParseReturn(returned, step, cellName);
                    if (outputs is null) return null;
                    break;
                case ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax assignment }:
                    Report(DiagnosticDescriptors.InvalidAssignment, assignment.Left, assignment.Left.ToString());
                    return null;
                case ExpressionStatementSyntax { Expression: PostfixUnaryExpressionSyntax or PrefixUnaryExpressionSyntax } increment
                    when increment.Expression.IsKind(SyntaxKind.PostIncrementExpression) || increment.Expression.IsKind(SyntaxKind.PostDecrementExpression)
                      || increment.Expression.IsKind(SyntaxKind.PreIncrementExpression) || increment.Expression.IsKind(SyntaxKind.PreDecrementExpression):
                    Report(DiagnosticDescriptors.InvalidAssignment, increment, increment.Expression.ToString());
                    return null;
                default:
                    Report(DiagnosticDescriptors.UnsupportedStatement, statement, Describe(statement));
                    return null;
            }
        }
        if (outputs is null)
        {
            Report(DiagnosticDescriptors.InvalidStepSignature, step.Identifier, cellName, "its body must end with 'return' of the next state(s)");
        }
        return outputs;
    }

    private List<int>? ParseReturn(ExpressionSyntax returned, MethodDeclarationSyntax step, string cellName)
    {
        var parts = returned is TupleExpressionSyntax tuple
            ? tuple.Arguments.Select(a => a.Expression).ToList()
            : new List<ExpressionSyntax> { returned };
        if (parts.Count != _stateNames.Length)
        {
            Report(DiagnosticDescriptors.InvalidStepSignature, returned, cellName,
                $"it returns {parts.Count} value(s) but takes {_stateNames.Length} state(s); return one next value per state, in order");
            return null;
        }
        var outputs = new List<int>();
        for (int k = 0; k < parts.Count; k++)
        {
            int value = ParseExpression(parts[k]);
            if (value < 0) return null;
            outputs.Add(Add(new Node(0, NodeKind.Output, A: value, StateIndex: k, Name: _stateNames[k] + "Next", Location: LocationInfo.From(parts[k]))));
        }
        return outputs;
    }

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
        string? name = expression switch
        {
            IdentifierNameSyntax id when !_locals.ContainsKey(id.Identifier.ValueText) => id.Identifier.ValueText,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } m => m.Name.Identifier.ValueText,
            _ => null,
        };
        return name is not null && _parameterIndex.TryGetValue(name, out int index)
               && _parameters[index].Kind == ParameterKind.Weight && IsField(expression)
            ? index : null;
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

    private int BiasField(ExpressionSyntax expression)
    {
        string? name = expression switch
        {
            IdentifierNameSyntax id when !_locals.ContainsKey(id.Identifier.ValueText) => id.Identifier.ValueText,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } m => m.Name.Identifier.ValueText,
            _ => null,
        };
        return name is not null && _parameterIndex.TryGetValue(name, out int index)
               && _parameters[index].Kind == ParameterKind.Bias && IsField(expression) ? index : -1;
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

    private void Report(DiagnosticDescriptor descriptor, SyntaxNode node, params string[] arguments) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, LocationInfo.From(node), arguments));

    private void Report(DiagnosticDescriptor descriptor, SyntaxToken token, params string[] arguments) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, LocationInfo.From(token), arguments));

    private static string Describe(StatementSyntax statement) => statement switch
    {
        ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax => "a loop",
        IfStatementSyntax or SwitchStatementSyntax => "a branch",
        _ => Shorten(statement.ToString()),
    };

    private static string Shorten(string text)
    {
        text = Normalize(text);
        return text.Length <= 60 ? text : text.Substring(0, 57) + "...";
    }

    private static string Normalize(SyntaxNode node) => Normalize(node.ToString());
    private static string Normalize(string text) => string.Join(" ", text.Split(new[] { ' ', '\t', '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries));
}
