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
internal sealed partial class CellParser
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
            if (cell is not null) cell = cell with { LinearPath = LinearPathOf(context.Attributes) };
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

    /// <summary>The attribute's LinearPath argument; a value the compiler rejects (not a constant bool) keeps the default,
    /// and the compiler's own error says why.</summary>
    private static bool LinearPathOf(System.Collections.Immutable.ImmutableArray<AttributeData> attributes)
    {
        foreach (var attribute in attributes)
            foreach (var argument in attribute.NamedArguments)
                if (argument.Key == "LinearPath" && argument.Value.Kind == TypedConstantKind.Primitive && argument.Value.Value is bool value)
                    return value;
        return true;
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
        AddPreviousOutputs(outputs, equations);

        string ns = symbol.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : "";
        return new CellModel(
            ns.Length == 0 ? null : ns,
            shape.ContainingTypes,
            symbol.Name,
            SyntaxFacts.GetText(symbol.DeclaredAccessibility == Accessibility.Public ? Accessibility.Public : Accessibility.Internal),
            _inputName,
            _stateNames.Concat(_previous.Select(p => p.Name)).ToEquatableArray(),
            _parameters.ToEquatableArray(),
            _nodes.ToEquatableArray(),
            outputs.ToEquatableArray(),
            equations.ToEquatableArray(),
            LocationInfo.From(declaration.Identifier))
        {
            PrevStates = _previous.Count,
        };
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

    private void Report(DiagnosticDescriptor descriptor, SyntaxNode node, params string[] arguments) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, LocationInfo.From(node), arguments));

    private void Report(DiagnosticDescriptor descriptor, SyntaxToken token, params string[] arguments) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, LocationInfo.From(token), arguments));
}
