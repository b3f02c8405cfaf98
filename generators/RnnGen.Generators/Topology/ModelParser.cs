using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Model;
using RnnGen.Generators.Parsing;

namespace RnnGen.Generators.Topology;

/// <summary>Reads a [LanguageModel] class and its [Layer] attributes; reports misdeclarations on the offending syntax.</summary>
internal static class ModelParser
{
    private const string LayerAttribute = "RnnGen.LayerAttribute";
    private const string CellAttribute = "RnnGen.RecurrentCellAttribute";

    public static StageResult<LanguageModelModel> Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellation)
    {
        var declaration = (ClassDeclarationSyntax)context.TargetNode;
        var symbol = (INamedTypeSymbol)context.TargetSymbol;
        var diagnostics = new List<DiagnosticInfo>();
        void Report(DiagnosticDescriptor d, SyntaxNode? node, params string[] args) =>
            diagnostics.Add(DiagnosticInfo.Create(d, LocationInfo.From(node) ?? LocationInfo.From(declaration.Identifier), args));

        // The shape of the class itself.
        var shape = DeclarationShape.Of(declaration, symbol, generatedBase: "RnnGen.Models.LanguageModel");
        if (!shape.IsValid)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ModelMustBePartial, LocationInfo.From(declaration.Identifier), symbol.Name, shape.Problem));
            return new StageResult<LanguageModelModel>(null, diagnostics.ToEquatableArray());
        }

        // [LanguageModel(Embedding = E)]
        var modelAttribute = context.Attributes[0];
        int embedding = 0;
        SyntaxNode? embeddingSyntax = modelAttribute.ApplicationSyntaxReference?.GetSyntax(cancellation);
        foreach (var named in modelAttribute.NamedArguments)
            if (named.Key == "Embedding" && named.Value.Value is int e) embedding = e;
        var embeddingArgument = (embeddingSyntax as AttributeSyntax)?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Embedding");
        if (embedding <= 0)
            Report(DiagnosticDescriptors.NonPositiveSize, (SyntaxNode?)embeddingArgument ?? embeddingSyntax, "The embedding size", embedding.ToString(CultureInfo.InvariantCulture));

        // [Layer(typeof(Cell), Hidden = H, Dropout = p)], in source order.
        var layers = new List<LayerModel>();
        var layerAttributes = symbol.GetAttributes()
            .Where(a => a.AttributeClass?.ToDisplayString() == LayerAttribute)
            .OrderBy(a => a.ApplicationSyntaxReference?.Span.Start ?? 0)
            .ToList();
        if (layerAttributes.Count == 0)
            Report(DiagnosticDescriptors.ModelHasNoLayers, null, symbol.Name);
        foreach (var attribute in layerAttributes)
        {
            cancellation.ThrowIfCancellationRequested();
            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellation) as AttributeSyntax;
            AttributeArgumentSyntax? Argument(string name) => syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);
            var typeArgument = syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals is null);

            var cell = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as INamedTypeSymbol : null;
            bool isCell = cell is not null && cell.TypeKind != TypeKind.Error
                          && cell.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == CellAttribute);
            if (!isCell)
                Report(DiagnosticDescriptors.LayerIsNotACell, (SyntaxNode?)typeArgument ?? syntax, cell?.ToDisplayString() ?? "?");

            int hidden = 0;
            float dropout = 0;
            foreach (var named in attribute.NamedArguments)
            {
                if (named.Key == "Hidden" && named.Value.Value is int h) hidden = h;
                if (named.Key == "Dropout" && named.Value.Value is float d) dropout = d;
            }
            if (hidden <= 0)
                Report(DiagnosticDescriptors.NonPositiveSize, (SyntaxNode?)Argument("Hidden") ?? syntax, "The hidden size", hidden.ToString(CultureInfo.InvariantCulture));
            if (!(dropout >= 0 && dropout < 1))
                Report(DiagnosticDescriptors.DropoutOutOfRange, (SyntaxNode?)Argument("Dropout") ?? syntax, dropout.ToString("R", CultureInfo.InvariantCulture));
            if (isCell)
                layers.Add(new LayerModel(cell!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), cell.Name, hidden, dropout));
        }

        if (diagnostics.Count > 0) return new StageResult<LanguageModelModel>(null, diagnostics.ToEquatableArray());
        string? ns = symbol.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
        return new StageResult<LanguageModelModel>(
            new LanguageModelModel(ns, shape.ContainingTypes, symbol.Name, embedding, layers.ToEquatableArray(), LocationInfo.From(declaration.Identifier)),
            EquatableArray<DiagnosticInfo>.Empty);
    }
}
