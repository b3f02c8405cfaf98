namespace RnnGen.Tests.Seq2Seq;

[Seq2Seq(SourceEmbedding = 5, TargetEmbedding = 4, Attention = AttentionKind.General, Bidirectional = true)]
[Encoder(typeof(RnnGen.Cells.Gru), Hidden = 11)]
[Decoder(typeof(RnnGen.Cells.Gru), Hidden = 13)]
public partial class GeneralBiModel;

[Seq2Seq(SourceEmbedding = 5, TargetEmbedding = 4, Attention = AttentionKind.Dot, Bidirectional = true)]
[Encoder(typeof(RnnGen.Cells.Gru), Hidden = 11)]
[Encoder(typeof(RnnGen.Cells.Gru), Hidden = 11)]
[Decoder(typeof(RnnGen.Cells.Lstm), Hidden = 22)]
public partial class DotStackedModel;

[Seq2Seq(SourceEmbedding = 5, TargetEmbedding = 4, Attention = AttentionKind.Additive)]
[Encoder(typeof(RnnGen.Cells.Gru), Hidden = 11)]
[Decoder(typeof(RnnGen.Cells.Gru), Hidden = 13)]
[Decoder(typeof(RnnGen.Cells.Gru), Hidden = 13)]
public partial class AdditiveModel;

[Seq2Seq(SourceEmbedding = 5, TargetEmbedding = 4, Attention = AttentionKind.General)]
[Encoder(typeof(RnnGen.Cells.Gru), Hidden = 11, Dropout = 0.25f)]
[Decoder(typeof(RnnGen.Cells.Gru), Hidden = 13, Dropout = 0.5f)]
public partial class DropoutModel;
