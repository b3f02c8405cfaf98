namespace RnnGen.Tests.Seq2Seq;

/// <summary>
/// Small models for the checks, one declared [Seq2Seq] class per shape the tests cover (see CheckModels.cs):
/// source embedding 5, target embedding 4, encoder hidden 11 (one 8-wide double vector plus a 3-element tail),
/// decoder hidden 13, or the memory's width for dot attention.
/// </summary>
internal static class Seq2SeqTestModels
{
    public const int SourceVocab = 9, TargetVocab = 7;

    /// <summary>The declared model of that shape: each attention kind, one- or two-way, one or two layers, a GRU or LSTM decoder.</summary>
    public static Seq2SeqModel Create(AttentionKind attention, bool bidirectional, int encoderLayers = 1, int decoderLayers = 1, bool lstmDecoder = false, int seed = 0)
    {
        int sv = SourceVocab, tv = TargetVocab;
        return (attention, bidirectional, encoderLayers, decoderLayers, lstmDecoder) switch
        {
            (AttentionKind.Dot, false, 1, 1, false) => new DotUni(sv, tv, seed),
            (AttentionKind.Dot, true, 1, 1, false) => new DotBi(sv, tv, seed),
            (AttentionKind.Dot, true, 2, 1, false) => new DotBiTwoEncoders(sv, tv, seed),
            (AttentionKind.General, false, 1, 1, false) => new GeneralUni(sv, tv, seed),
            (AttentionKind.General, true, 1, 1, false) => new GeneralBiModel(sv, tv, seed),
            (AttentionKind.General, false, 2, 1, false) => new GeneralUniTwoEncoders(sv, tv, seed),
            (AttentionKind.General, true, 2, 1, false) => new GeneralBiTwoEncoders(sv, tv, seed),
            (AttentionKind.General, true, 2, 2, true) => new GeneralBiStackedLstm(sv, tv, seed),
            (AttentionKind.Additive, false, 1, 1, false) => new AdditiveUni(sv, tv, seed),
            (AttentionKind.Additive, true, 1, 1, false) => new AdditiveBi(sv, tv, seed),
            (AttentionKind.Additive, false, 2, 1, false) => new AdditiveUniTwoEncoders(sv, tv, seed),
            (AttentionKind.Additive, true, 2, 1, false) => new AdditiveBiTwoEncoders(sv, tv, seed),
            _ => throw new ArgumentException($"No test model declared for {attention}, bidirectional {bidirectional}, {encoderLayers}/{decoderLayers} layers, LSTM {lstmDecoder}: add one to CheckModels.cs."),
        };
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
