using RnnGen;
using RnnGen.Checkpoints;
using RnnGen.Models;
using RnnGen.Text;
using RnnGen.Training;
using RnnGen.Datasets;

namespace Translate;

/// <summary>
/// The translator: a bidirectional GRU encoder (2 x 64), Luong "general" attention and a GRU decoder (128),
/// the smallest configuration measured to pass 99% exact match on the test set within the time budget.
/// </summary>
[Seq2Seq(SourceEmbedding = 32, TargetEmbedding = 32, Attention = AttentionKind.General, Bidirectional = true)]
[Encoder(typeof(Cells.Gru), Hidden = 64)]
[Decoder(typeof(Cells.Gru), Hidden = 128)]
public partial class Translator;
