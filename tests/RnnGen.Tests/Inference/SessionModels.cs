using RnnGen.Tests.Cells;

namespace RnnGen.Tests.Inference;

// Models the session tests need beyond those of Models/TestModels.cs (a GRU, a 2 x LSTM stack, a GRU under a custom cell).

/// <summary>A custom cell with two states (h, m) under an LSTM: every layer has its own number of states.</summary>
[LanguageModel(Embedding = 7)]
[Layer(typeof(TwoStateCell), Hidden = 9)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 11)]
public partial class TwoStateModel;

/// <summary>A GRU big enough that a batch-1 step's recurrent product is split over the threads (1 x 384 · 384 x 1152).</summary>
[LanguageModel(Embedding = 32)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 384)]
public partial class WideGruModel;
