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

/// <summary>
/// Reads a [Seq2Seq] class with its [Encoder] and [Decoder] attributes; reports each misdeclaration on the
/// offending attribute argument (or the attribute, when the argument is missing) and never throws.
/// </summary>
internal static class Seq2SeqParser
{
    private const string EncoderAttribute = "RnnGen.EncoderAttribute";
    private const string DecoderAttribute = "RnnGen.DecoderAttribute";
    private const string CellAttribute = "RnnGen.RecurrentCellAttribute";
    private static readonly string[] AttentionKinds = ["Dot", "General", "Additive"];

    public static StageResult<Seq2SeqModelSpec> Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellation)
    {
        var declaration = (ClassDeclarationSyntax)context.TargetNode;
        var symbol = (INamedTypeSymbol)context.TargetSymbol;
        var diagnostics = new List<DiagnosticInfo>();
        void Report(DiagnosticDescriptor d, SyntaxNode? node, params string[] args) =>
            diagnostics.Add(DiagnosticInfo.Create(d, LocationInfo.From(node) ?? LocationInfo.From(declaration.Identifier), args));

        var shape = DeclarationShape.Of(declaration, symbol, generatedBase: "RnnGen.Models.Seq2SeqModel");
        if (!shape.IsValid)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.Seq2SeqMustBePartial, LocationInfo.From(declaration.Identifier), symbol.Name, shape.Problem));
            return new StageResult<Seq2SeqModelSpec>(null, diagnostics.ToEquatableArray());
        }

        // [Seq2Seq(SourceEmbedding = E, TargetEmbedding = E, Attention = ..., Bidirectional = ...)]
        var modelAttribute = context.Attributes[0];
        var modelSyntax = modelAttribute.ApplicationSyntaxReference?.GetSyntax(cancellation) as AttributeSyntax;
        AttributeArgumentSyntax? ModelArgument(string name) => modelSyntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);
        int sourceEmbedding = 0, targetEmbedding = 0, attention = 1;
        bool bidirectional = false;
        foreach (var named in modelAttribute.NamedArguments)
        {
            if (named.Key == "SourceEmbedding" && named.Value.Value is int s) sourceEmbedding = s;
            if (named.Key == "TargetEmbedding" && named.Value.Value is int t) targetEmbedding = t;
            if (named.Key == "Attention" && named.Value.Value is int a) attention = a;
            if (named.Key == "Bidirectional" && named.Value.Value is bool b) bidirectional = b;
        }
        if (sourceEmbedding <= 0)
            Report(DiagnosticDescriptors.Seq2SeqNonPositiveSize, (SyntaxNode?)ModelArgument("SourceEmbedding") ?? modelSyntax, "The source embedding size", sourceEmbedding.ToString(CultureInfo.InvariantCulture));
        if (targetEmbedding <= 0)
            Report(DiagnosticDescriptors.Seq2SeqNonPositiveSize, (SyntaxNode?)ModelArgument("TargetEmbedding") ?? modelSyntax, "The target embedding size", targetEmbedding.ToString(CultureInfo.InvariantCulture));
        bool knownAttention = attention >= 0 && attention < AttentionKinds.Length;
        if (!knownAttention)
            Report(DiagnosticDescriptors.UnknownAttentionKind, (SyntaxNode?)ModelArgument("Attention") ?? modelSyntax, attention.ToString(CultureInfo.InvariantCulture));

        var encoder = Layers(EncoderAttribute, "Encoder", "encoder");
        var decoder = Layers(DecoderAttribute, "Decoder", "decoder");

        List<LayerModel> Layers(string attributeName, string shortName, string role)
        {
            var result = new List<LayerModel>();
            var attributes = symbol.GetAttributes()
                .Where(a => a.AttributeClass?.ToDisplayString() == attributeName)
                .OrderBy(a => a.ApplicationSyntaxReference?.Span.Start ?? 0)
                .ToList();
            if (attributes.Count == 0)
                Report(DiagnosticDescriptors.Seq2SeqMissingLayers, modelSyntax, symbol.Name, role, shortName);
            foreach (var attribute in attributes)
            {
                cancellation.ThrowIfCancellationRequested();
                var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellation) as AttributeSyntax;
                var typeArgument = syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals is null);
                var cell = attribute.ConstructorArguments.Length == 1 ? attribute.ConstructorArguments[0].Value as INamedTypeSymbol : null;
                bool isCell = cell is not null && cell.TypeKind != TypeKind.Error
                              && cell.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == CellAttribute);
                if (!isCell)
                    Report(DiagnosticDescriptors.Seq2SeqLayerIsNotACell, (SyntaxNode?)typeArgument ?? syntax, cell?.ToDisplayString() ?? "?", shortName);
                int hidden = 0;
                float dropout = 0;
                foreach (var named in attribute.NamedArguments)
                {
                    if (named.Key == "Hidden" && named.Value.Value is int h) hidden = h;
                    if (named.Key == "Dropout" && named.Value.Value is float d) dropout = d;
                }
                if (hidden <= 0)
                    Report(DiagnosticDescriptors.Seq2SeqNonPositiveSize, (SyntaxNode?)syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Hidden") ?? syntax,
                        $"The {role} hidden size", hidden.ToString(CultureInfo.InvariantCulture));
                if (!(dropout >= 0 && dropout < 1))
                    Report(DiagnosticDescriptors.DropoutOutOfRange, (SyntaxNode?)syntax?.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == "Dropout") ?? syntax,
                        dropout.ToString("R", CultureInfo.InvariantCulture));
                if (isCell)
                    result.Add(new LayerModel(cell!.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), cell.Name, hidden, dropout));
            }
            return result;
        }

        // Dot attention compares decoder states with encoder outputs directly: their sizes must agree.
        if (attention == 0 && encoder.Count > 0 && decoder.Count > 0 && encoder[encoder.Count - 1].Hidden > 0 && decoder[decoder.Count - 1].Hidden > 0)
        {
            int memory = encoder[encoder.Count - 1].Hidden * (bidirectional ? 2 : 1);
            if (memory != decoder[decoder.Count - 1].Hidden)
                Report(DiagnosticDescriptors.DotAttentionSizeMismatch, (SyntaxNode?)ModelArgument("Attention") ?? modelSyntax,
                    memory.ToString(CultureInfo.InvariantCulture),
                    bidirectional ? $"two directions of {encoder[encoder.Count - 1].Hidden}" : $"hidden size {encoder[encoder.Count - 1].Hidden}",
                    decoder[decoder.Count - 1].Hidden.ToString(CultureInfo.InvariantCulture));
        }

        if (diagnostics.Count > 0) return new StageResult<Seq2SeqModelSpec>(null, diagnostics.ToEquatableArray());
        string? ns = symbol.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
        return new StageResult<Seq2SeqModelSpec>(
            new Seq2SeqModelSpec(ns, shape.ContainingTypes, symbol.Name, LocationInfo.From(declaration.Identifier), sourceEmbedding, targetEmbedding,
                AttentionKinds[attention], bidirectional, encoder.ToEquatableArray(), decoder.ToEquatableArray()),
            EquatableArray<DiagnosticInfo>.Empty);
    }
}
