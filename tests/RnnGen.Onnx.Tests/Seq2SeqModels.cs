namespace RnnGen.Onnx.Tests;

// Encoder-decoders of each attention kind, one-way and bidirectional encoders, one- and two-state decoders.

[Seq2Seq(SourceEmbedding = 5, TargetEmbedding = 4, Attention = AttentionKind.Dot, Bidirectional = true)]
[Encoder(typeof(RnnGen.Cells.Gru), Hidden = 6)]
[Decoder(typeof(RnnGen.Cells.Gru), Hidden = 12)]
public partial class DotBiGruTranslator;

[Seq2Seq(SourceEmbedding = 4, TargetEmbedding = 5, Attention = AttentionKind.General)]
[Encoder(typeof(RnnGen.Cells.Lstm), Hidden = 5)]
[Encoder(typeof(RnnGen.Cells.SimpleRnn), Hidden = 6)]
[Decoder(typeof(RnnGen.Cells.Lstm), Hidden = 7)]
[Decoder(typeof(RnnGen.Cells.Lstm), Hidden = 7)]
public partial class GeneralLstmTranslator;

[Seq2Seq(SourceEmbedding = 3, TargetEmbedding = 4, Attention = AttentionKind.Additive, Bidirectional = true)]
[Encoder(typeof(RnnGen.Cells.SimpleRnn), Hidden = 4)]
[Decoder(typeof(RnnGen.Cells.Gru), Hidden = 6)]
public partial class AdditiveBiRnnTranslator;
