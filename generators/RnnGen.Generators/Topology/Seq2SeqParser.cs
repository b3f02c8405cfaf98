using System.Globalization;
using System.Threading;
using Microsoft.CodeAnalysis;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Model;

namespace RnnGen.Generators.Topology;

/// <summary>
/// Reads a [Seq2Seq] class with its [Encoder] and [Decoder] attributes through the shared
/// <see cref="TopologyReader"/> (RNNG020–RNNG024, the model called a "sequence-to-sequence model"); only the
/// attention checks (RNNG034, RNNG035) are its own. Never throws.
/// </summary>
internal static class Seq2SeqParser
{
    private const string EncoderAttribute = "RnnGen.EncoderAttribute";
    private const string DecoderAttribute = "RnnGen.DecoderAttribute";
    private static readonly string[] AttentionKinds = ["Dot", "General", "Additive"];

    public static StageResult<Seq2SeqModelSpec> Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellation)
    {
        var reader = new TopologyReader(context, "sequence-to-sequence model", cancellation);
        if (reader.Shape("RnnGen.Models.Seq2SeqModel") is not { } shape) return reader.Failed<Seq2SeqModelSpec>();

        // [Seq2Seq(SourceEmbedding = E, TargetEmbedding = E, Attention = ..., Bidirectional = ...)]
        var model = reader.Model;
        int sourceEmbedding = reader.PositiveSize(model, "SourceEmbedding", "The source embedding size");
        int targetEmbedding = reader.PositiveSize(model, "TargetEmbedding", "The target embedding size");
        int attention = model.Enum("Attention", fallback: 1);
        if (!(attention >= 0 && attention < AttentionKinds.Length))
            reader.Report(DiagnosticDescriptors.UnknownAttentionKind, model.At("Attention"), attention.ToString(CultureInfo.InvariantCulture));
        bool bidirectional = model.Bool("Bidirectional");

        // A missing stack is reported on the [Seq2Seq] attribute, which is where the sizes of both are declared.
        var encoder = reader.ReadLayers(reader.Symbol, EncoderAttribute, "encoder", model.Syntax);
        var decoder = reader.ReadLayers(reader.Symbol, DecoderAttribute, "decoder", model.Syntax);

        // Dot attention compares decoder states with encoder outputs directly: their sizes must agree.
        if (attention == 0 && encoder.Count > 0 && decoder.Count > 0 && encoder[encoder.Count - 1].Hidden > 0 && decoder[decoder.Count - 1].Hidden > 0)
        {
            int top = encoder[encoder.Count - 1].Hidden, memory = top * (bidirectional ? 2 : 1), query = decoder[decoder.Count - 1].Hidden;
            if (memory != query)
                reader.Report(DiagnosticDescriptors.DotAttentionSizeMismatch, model.At("Attention"),
                    memory.ToString(CultureInfo.InvariantCulture),
                    bidirectional ? $"two directions of {top}" : $"hidden size {top}",
                    query.ToString(CultureInfo.InvariantCulture));
        }

        return reader.Finish(() => new Seq2SeqModelSpec(reader.Namespace, shape.ContainingTypes, reader.Symbol.Name, reader.Location,
            sourceEmbedding, targetEmbedding, AttentionKinds[attention], bidirectional, encoder, decoder));
    }
}
