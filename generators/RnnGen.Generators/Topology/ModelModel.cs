using RnnGen.Generators.Model;

namespace RnnGen.Generators.Topology;

/// <summary>One [Layer] of a language model: the cell's fully qualified type and its sizes.</summary>
internal sealed record LayerModel(string CellType, string CellName, int Hidden, float Dropout);

/// <summary>A [LanguageModel] declaration, as plain values.</summary>
internal sealed record LanguageModelModel(
    string? Namespace,
    EquatableArray<string> ContainingTypes,
    string TypeName,
    int Embedding,
    EquatableArray<LayerModel> Layers,
    LocationInfo? Location) : ISourceDeclared;
