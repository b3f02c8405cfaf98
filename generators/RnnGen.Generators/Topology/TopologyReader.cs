using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Model;
using RnnGen.Generators.Parsing;

namespace RnnGen.Generators.Topology;

/// <summary>
/// The front end every layered topology shares: checks the class's shape, reads the named arguments of its
/// model attribute and its [Layer] attributes, and collects the diagnostics, each on the offending argument
/// (or the attribute when the argument is missing, or the class name). It never throws on bad input.
/// </summary>
internal sealed class TopologyReader
{
    public const string LayerAttribute = "RnnGen.LayerAttribute";
    private const string CellAttribute = "RnnGen.RecurrentCellAttribute";

    private readonly ClassDeclarationSyntax _declaration;
    private readonly CancellationToken _cancellation;
    private readonly List<DiagnosticInfo> _diagnostics = new();

    /// <param name="kind">What the model is called in messages: "language model", "sequence classifier", …</param>
    public TopologyReader(GeneratorAttributeSyntaxContext context, string kind, CancellationToken cancellation)
    {
        _declaration = (ClassDeclarationSyntax)context.TargetNode;
        Symbol = (INamedTypeSymbol)context.TargetSymbol;
        Kind = kind;
        _cancellation = cancellation;
        Model = new AttributeArguments(context.Attributes[0], cancellation);
    }

    public INamedTypeSymbol Symbol { get; }
    public string Kind { get; }
    /// <summary>The model attribute itself ([LanguageModel], [SequenceClassifier], …).</summary>
    public AttributeArguments Model { get; }
    public string? Namespace => Symbol.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
    public LocationInfo? Location => LocationInfo.From(_declaration.Identifier);

    public void Report(DiagnosticDescriptor descriptor, SyntaxNode? node, params string[] arguments) =>
        _diagnostics.Add(DiagnosticInfo.Create(descriptor, LocationInfo.From(node) ?? Location, arguments));

    /// <summary>The class's shape, or null (RNNG020 reported on its name) when RnnGen cannot add <paramref name="generatedBase"/> to it.</summary>
    public DeclarationShape? Shape(string generatedBase)
    {
        var shape = DeclarationShape.Of(_declaration, Symbol, generatedBase);
        if (shape.IsValid) return shape;
        string baseName = generatedBase.Substring(generatedBase.LastIndexOf('.') + 1);
        Report(DiagnosticDescriptors.ModelMustBePartial, null, Symbol.Name, shape.Problem, Kind, baseName);
        return null;
    }

    /// <summary>A named int argument of <paramref name="arguments"/> that must be positive (RNNG023 otherwise).</summary>
    public int PositiveSize(AttributeArguments arguments, string name, string description)
    {
        int value = arguments.Int(name);
        if (value <= 0)
            Report(DiagnosticDescriptors.NonPositiveSize, arguments.At(name), description, value.ToString(CultureInfo.InvariantCulture));
        return value;
    }

    /// <summary>
    /// The layers given by <paramref name="attributeName"/> on <paramref name="symbol"/>, in source order: each
    /// must name a [RecurrentCell] class (RNNG022), with a positive hidden size (RNNG023) and a dropout in [0, 1)
    /// (RNNG024). None at all is RNNG021, on <paramref name="missingAt"/> (the class name when null). A model with
    /// more than one stack (encoder and decoder) names each by its <paramref name="role"/> in the messages.
    /// Only the well-formed layers are returned.
    /// </summary>
    public EquatableArray<LayerModel> ReadLayers(INamedTypeSymbol symbol, string attributeName, string? role = null, SyntaxNode? missingAt = null)
    {
        var layers = new List<LayerModel>();
        var attributes = symbol.GetAttributes()
            .Where(a => a.AttributeClass?.ToDisplayString() == attributeName)
            .OrderBy(a => a.ApplicationSyntaxReference?.Span.Start ?? 0)
            .ToList();
        if (attributes.Count == 0)
        {
            string shortName = attributeName.Substring(attributeName.LastIndexOf('.') + 1);
            shortName = shortName.EndsWith("Attribute", StringComparison.Ordinal) ? shortName.Substring(0, shortName.Length - "Attribute".Length) : shortName;
            Report(DiagnosticDescriptors.ModelHasNoLayers, missingAt, symbol.Name, Kind, role is null ? "" : role + " ", shortName);
        }
        foreach (var attribute in attributes)
        {
            _cancellation.ThrowIfCancellationRequested();
            var arguments = new AttributeArguments(attribute, _cancellation);
            var cell = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as INamedTypeSymbol : null;
            bool isCell = cell is not null && cell.TypeKind != TypeKind.Error
                          && cell.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == CellAttribute);
            if (!isCell)
                Report(DiagnosticDescriptors.LayerIsNotACell, arguments.Positional(0), cell?.ToDisplayString() ?? "?");

            int hidden = PositiveSize(arguments, "Hidden", role is null ? "The hidden size" : $"The {role} hidden size");
            float dropout = arguments.Float("Dropout");
            if (!(dropout >= 0 && dropout < 1))
                Report(DiagnosticDescriptors.DropoutOutOfRange, arguments.At("Dropout"), dropout.ToString("R", CultureInfo.InvariantCulture));
            if (isCell)
                layers.Add(new LayerModel(cell!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), cell.Name, hidden, dropout));
        }
        return layers.ToEquatableArray();
    }

    /// <summary>The diagnostics alone when any was reported, else the model <paramref name="create"/> builds.</summary>
    public StageResult<T> Finish<T>(Func<T> create) where T : class =>
        _diagnostics.Count > 0 ? Failed<T>() : new StageResult<T>(create(), EquatableArray<DiagnosticInfo>.Empty);

    /// <summary>No model: the diagnostics reported so far.</summary>
    public StageResult<T> Failed<T>() where T : class => new(null, _diagnostics.ToEquatableArray());
}

/// <summary>The arguments of one attribute application, with the syntax of each for diagnostics.</summary>
internal sealed class AttributeArguments
{
    private readonly AttributeData _attribute;

    public AttributeArguments(AttributeData attribute, CancellationToken cancellation)
    {
        _attribute = attribute;
        Syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellation) as AttributeSyntax;
    }

    /// <summary>The attribute as written, or null when it comes from metadata.</summary>
    public AttributeSyntax? Syntax { get; }

    /// <summary>The syntax of the named argument, or of the whole attribute when it is not written.</summary>
    public SyntaxNode? At(string name) =>
        (SyntaxNode?)Syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name) ?? Syntax;

    /// <summary>The syntax of the <paramref name="index"/>th positional argument, or of the whole attribute.</summary>
    public SyntaxNode? Positional(int index) =>
        (SyntaxNode?)Syntax?.ArgumentList?.Arguments.Where(a => a.NameEquals is null && a.NameColon is null).ElementAtOrDefault(index) ?? Syntax;

    public int Int(string name, int fallback = 0) => Value(name) is int value ? value : fallback;
    public float Float(string name, float fallback = 0) => Value(name) is float value ? value : fallback;
    public bool Bool(string name, bool fallback = false) => Value(name) is bool value ? value : fallback;

    /// <summary>An enum argument as its underlying value (metadata holds no names), or <paramref name="fallback"/>.</summary>
    public int Enum(string name, int fallback = 0) => Value(name) switch
    {
        int value => value,
        byte value => value,
        short value => value,
        _ => fallback,
    };

    private object? Value(string name)
    {
        foreach (var named in _attribute.NamedArguments)
            if (named.Key == name) return named.Value.Value;
        return null;
    }
}
