using System.Threading;
using Microsoft.CodeAnalysis;
using RnnGen.Generators.Model;

namespace RnnGen.Generators.Topology;

/// <summary>Reads a [LanguageModel] class and its [Layer] attributes; reports misdeclarations on the offending syntax.</summary>
internal static class ModelParser
{
    public static StageResult<LanguageModelModel> Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellation)
    {
        var reader = new TopologyReader(context, "language model", cancellation);
        if (reader.Shape("RnnGen.Models.LanguageModel") is not { } shape) return reader.Failed<LanguageModelModel>();

        // [LanguageModel(Embedding = E)], then [Layer(typeof(Cell), Hidden = H, Dropout = p)] in source order.
        int embedding = reader.PositiveSize(reader.Model, "Embedding", "The embedding size");
        var layers = reader.ReadLayers(reader.Symbol, TopologyReader.LayerAttribute);

        return reader.Finish(() => new LanguageModelModel(reader.Namespace, shape.ContainingTypes, reader.Symbol.Name, embedding, layers, reader.Location));
    }
}
