namespace RnnGen.Tests.Seq2Seq;

/// <summary>Small models for the checks: hidden 11 is one 8-wide double vector plus a 3-element tail.</summary>
internal static class Seq2SeqTestModels
{
    public const int SourceVocab = 9, TargetVocab = 7;

    public static Seq2SeqDefinition Definition(AttentionKind attention, bool bidirectional, int encoderLayers = 1, int decoderLayers = 1, bool lstmDecoder = false)
    {
        const int es = 5, et = 4, h = 11;
        int d = attention == AttentionKind.Dot ? h * (bidirectional ? 2 : 1) : 13;
        var encoder = new List<EncoderLayerDefinition>();
        int below = es;
        for (int k = 0; k < encoderLayers; k++)
        {
            int input = below;
            encoder.Add(new EncoderLayerDefinition(() => new RnnGen.Cells.Gru(input, h), bidirectional ? () => new RnnGen.Cells.Gru(input, h) : null));
            below = bidirectional ? 2 * h : h;
        }
        var decoder = new List<Func<IRecurrentCell>>();
        below = et;
        for (int k = 0; k < decoderLayers; k++)
        {
            int input = below;
            decoder.Add(lstmDecoder ? () => new RnnGen.Cells.Lstm(input, d) : (Func<IRecurrentCell>)(() => new RnnGen.Cells.Gru(input, d)));
            below = d;
        }
        return new Seq2SeqDefinition(es, et, attention, encoder, decoder);
    }

    /// <summary>Rows of different lengths, in no particular order; ids from 4 up (0..3 are special).</summary>
    public static (int[][] Sources, int[][] Targets) Sentences(int seed, int rows = 3)
    {
        var random = new Random(seed);
        var sources = new int[rows][];
        var targets = new int[rows][];
        for (int b = 0; b < rows; b++)
        {
            sources[b] = Enumerable.Range(0, 1 + random.Next(5)).Select(_ => 4 + random.Next(SourceVocab - 4)).ToArray();
            targets[b] = Enumerable.Range(0, random.Next(4)).Select(_ => 4 + random.Next(TargetVocab - 4)).ToArray();
        }
        return (sources, targets);
    }
}
