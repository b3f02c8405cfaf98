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

/// <summary>The three topologies that read whole sequences: one label per row, one tag per token, values per step.</summary>
internal enum SequenceTopology { Classifier, Tagger, Regressor }

/// <summary>
/// A [SequenceClassifier], [SequenceTagger] or [SequenceRegressor] declaration, as plain values.
/// <see cref="Inputs"/> is the embedding size (classifier, tagger) or the values per step (regressor);
/// <see cref="Outputs"/> the classes, tags or values predicted per step; <see cref="Pooling"/> the
/// Pooling member name (classifier only, else empty).
/// </summary>
internal sealed record SequenceModelSpec(
    string? Namespace,
    EquatableArray<string> ContainingTypes,
    string TypeName,
    LocationInfo? Location,
    SequenceTopology Topology,
    int Inputs,
    int Outputs,
    string Pooling,
    bool Bidirectional,
    EquatableArray<LayerModel> Layers) : ISourceDeclared
{
    public int Directions => Bidirectional ? 2 : 1;
}
