namespace RnnGen.Tests.Seq2Seq;

// The shapes the gradient, padding and decoding checks run over (Seq2SeqTestModels.Create picks one);
// GeneralBiModel in GeneratedModels.cs is the general, two-way, one-layer one.

[Seq2Seq(SourceEmbedding = 5, TargetEmbedding = 4, Attention = AttentionKind.Dot)]
[Encoder(typeof(RnnGen.Cells.Gru), Hidden = 11)]
[Decoder(typeof(RnnGen.Cells.Gru), Hidden = 11)]
public partial class DotUni;

[Seq2Seq(SourceEmbedding = 5, TargetEmbedding = 4, Attention = AttentionKind.Dot, Bidirectional = true)]
[Encoder(typeof(RnnGen.Cells.Gru), Hidden = 11)]
[Decoder(typeof(RnnGen.Cells.Gru), Hidden = 22)]
public partial class DotBi;

[Seq2Seq(SourceEmbedding = 5, TargetEmbedding = 4, Attention = AttentionKind.Dot, Bidirectional = true)]
[Encoder(typeof(RnnGen.Cells.Gru), Hidden = 11)]
[Encoder(typeof(RnnGen.Cells.Gru), Hidden = 11)]
[Decoder(typeof(RnnGen.Cells.Gru), Hidden = 22)]
public partial class DotBiTwoEncoders;

[Seq2Seq(SourceEmbedding = 5, TargetEmbedding = 4, Attention = AttentionKind.General)]
[Encoder(typeof(RnnGen.Cells.Gru), Hidden = 11)]
[Decoder(typeof(RnnGen.Cells.Gru), Hidden = 13)]
public partial class GeneralUni;

[Seq2Seq(SourceEmbedding = 5, TargetEmbedding = 4, Attention = AttentionKind.General)]
[Encoder(typeof(RnnGen.Cells.Gru), Hidden = 11)]
[Encoder(typeof(RnnGen.Cells.Gru), Hidden = 11)]
[Decoder(typeof(RnnGen.Cells.Gru), Hidden = 13)]
public partial class GeneralUniTwoEncoders;

[Seq2Seq(SourceEmbedding = 5, TargetEmbedding = 4, Attention = AttentionKind.General, Bidirectional = true)]
[Encoder(typeof(RnnGen.Cells.Gru), Hidden = 11)]
[Encoder(typeof(RnnGen.Cells.Gru), Hidden = 11)]
[Decoder(typeof(RnnGen.Cells.Gru), Hidden = 13)]
public partial class GeneralBiTwoEncoders;

/// <summary>Stacked both ways and an LSTM decoder, whose second state (the cell) starts at zero.</summary>
[Seq2Seq(SourceEmbedding = 5, TargetEmbedding = 4, Attention = AttentionKind.General, Bidirectional = true)]
[Encoder(typeof(RnnGen.Cells.Gru), Hidden = 11)]
[Encoder(typeof(RnnGen.Cells.Gru), Hidden = 11)]
[Decoder(typeof(RnnGen.Cells.Lstm), Hidden = 13)]
[Decoder(typeof(RnnGen.Cells.Lstm), Hidden = 13)]
public partial class GeneralBiStackedLstm;

[Seq2Seq(SourceEmbedding = 5, TargetEmbedding = 4, Attention = AttentionKind.Additive)]
[Encoder(typeof(RnnGen.Cells.Gru), Hidden = 11)]
[Decoder(typeof(RnnGen.Cells.Gru), Hidden = 13)]
public partial class AdditiveUni;

[Seq2Seq(SourceEmbedding = 5, TargetEmbedding = 4, Attention = AttentionKind.Additive, Bidirectional = true)]
[Encoder(typeof(RnnGen.Cells.Gru), Hidden = 11)]
[Decoder(typeof(RnnGen.Cells.Gru), Hidden = 13)]
public partial class AdditiveBi;

[Seq2Seq(SourceEmbedding = 5, TargetEmbedding = 4, Attention = AttentionKind.Additive)]
[Encoder(typeof(RnnGen.Cells.Gru), Hidden = 11)]
[Encoder(typeof(RnnGen.Cells.Gru), Hidden = 11)]
[Decoder(typeof(RnnGen.Cells.Gru), Hidden = 13)]
public partial class AdditiveUniTwoEncoders;

[Seq2Seq(SourceEmbedding = 5, TargetEmbedding = 4, Attention = AttentionKind.Additive, Bidirectional = true)]
[Encoder(typeof(RnnGen.Cells.Gru), Hidden = 11)]
[Encoder(typeof(RnnGen.Cells.Gru), Hidden = 11)]
[Decoder(typeof(RnnGen.Cells.Gru), Hidden = 13)]
public partial class AdditiveBiTwoEncoders;
