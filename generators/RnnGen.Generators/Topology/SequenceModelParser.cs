using System.Globalization;
using System.Threading;
using Microsoft.CodeAnalysis;
using RnnGen.Generators.Model;
using RnnGen.Generators.Diagnostics;

namespace RnnGen.Generators.Topology;

/// <summary>
/// Reads a [SequenceClassifier], [SequenceTagger] or [SequenceRegressor] class and its [Layer] attributes through
/// the shared <see cref="TopologyReader"/>; reports misdeclarations on the offending argument.
/// </summary>
internal static class SequenceModelParser
{
    private static readonly string[] PoolingKinds = ["Last", "Mean", "Max"];

    public static StageResult<SequenceModelSpec> ParseClassifier(GeneratorAttributeSyntaxContext context, CancellationToken cancellation)
    {
        var reader = new TopologyReader(context, "sequence classifier", cancellation);
        if (reader.Shape("RnnGen.Models.SequenceClassifier") is not { } shape) return reader.Failed<SequenceModelSpec>();

        // [SequenceClassifier(Embedding = E, Classes = C, Pooling = Pooling.Mean, Bidirectional = true)]
        int embedding = reader.PositiveSize(reader.Model, "Embedding", "The embedding size");
        int classes = AtLeastTwo(reader, "Classes", "class");
        int pooling = reader.Model.Enum("Pooling", fallback: 0);
        bool knownPooling = pooling >= 0 && pooling < PoolingKinds.Length;
        if (!knownPooling)
            reader.Report(DiagnosticDescriptors.UnknownPooling, reader.Model.At("Pooling"), pooling.ToString(CultureInfo.InvariantCulture));
        bool bidirectional = reader.Model.Bool("Bidirectional");
        var layers = reader.ReadLayers(reader.Symbol, TopologyReader.LayerAttribute);

        return reader.Finish(() => new SequenceModelSpec(reader.Namespace, shape.ContainingTypes, reader.Symbol.Name, reader.Location,
            SequenceTopology.Classifier, embedding, classes, PoolingKinds[pooling], bidirectional, layers));
    }

    public static StageResult<SequenceModelSpec> ParseTagger(GeneratorAttributeSyntaxContext context, CancellationToken cancellation)
    {
        var reader = new TopologyReader(context, "sequence tagger", cancellation);
        if (reader.Shape("RnnGen.Models.SequenceTagger") is not { } shape) return reader.Failed<SequenceModelSpec>();

        // [SequenceTagger(Embedding = E, Tags = K, Bidirectional = true)]
        int embedding = reader.PositiveSize(reader.Model, "Embedding", "The embedding size");
        int tags = AtLeastTwo(reader, "Tags", "tag");
        bool bidirectional = reader.Model.Bool("Bidirectional");
        var layers = reader.ReadLayers(reader.Symbol, TopologyReader.LayerAttribute);

        return reader.Finish(() => new SequenceModelSpec(reader.Namespace, shape.ContainingTypes, reader.Symbol.Name, reader.Location,
            SequenceTopology.Tagger, embedding, tags, "", bidirectional, layers));
    }

    public static StageResult<SequenceModelSpec> ParseRegressor(GeneratorAttributeSyntaxContext context, CancellationToken cancellation)
    {
        var reader = new TopologyReader(context, "sequence regressor", cancellation);
        if (reader.Shape("RnnGen.Models.SequenceRegressor") is not { } shape) return reader.Failed<SequenceModelSpec>();

        // [SequenceRegressor(Inputs = I, Outputs = O, Bidirectional = false)]
        int inputs = reader.PositiveSize(reader.Model, "Inputs", "The number of inputs per step");
        int outputs = reader.PositiveSize(reader.Model, "Outputs", "The number of outputs per step");
        bool bidirectional = reader.Model.Bool("Bidirectional");
        var layers = reader.ReadLayers(reader.Symbol, TopologyReader.LayerAttribute);

        return reader.Finish(() => new SequenceModelSpec(reader.Namespace, shape.ContainingTypes, reader.Symbol.Name, reader.Location,
            SequenceTopology.Regressor, inputs, outputs, "", bidirectional, layers));
    }

    /// <summary>Classes or tags: a softmax over fewer than two has nothing to choose between (RNNG026).</summary>
    private static int AtLeastTwo(TopologyReader reader, string name, string singular)
    {
        int value = reader.Model.Int(name);
        if (value < 2)
            reader.Report(DiagnosticDescriptors.TooFewClasses, reader.Model.At(name), reader.Kind, reader.Symbol.Name, name,
                value.ToString(CultureInfo.InvariantCulture), singular);
        return value;
    }
}
