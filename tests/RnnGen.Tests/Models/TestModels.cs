using RnnGen.Tests.Cells;

namespace RnnGen.Tests.Models;

// Language models declared with attributes, as users do: a built-in cell from the RnnGen assembly
// stacked under a custom cell from this one.

[LanguageModel(Embedding = 8)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 24)]
[Layer(typeof(Mgu), Hidden = 16, Dropout = 0.1f)]
public partial class StackedModel;

[LanguageModel(Embedding = 12)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 48)]
public partial class BracketModel;

/// <summary>Cells planned as linear scans, one with an output state, stacked: large enough that the scans and the passes
/// over every step are shared between threads.</summary>
[LanguageModel(Embedding = 16)]
[Layer(typeof(MinGruTest), Hidden = 64)]
[Layer(typeof(QrnnLikeTest), Hidden = 64)]
public partial class LinearStackModel;

[LanguageModel(Embedding = 6)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 10, Dropout = 0.25f)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 10)]
public partial class TinyLstmModel;
