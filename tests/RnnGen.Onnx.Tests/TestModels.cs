namespace RnnGen.Onnx.Tests;

// Language models of every built-in cell, one and two layers, declared as a user would. Dropout is on in training
// and must not reach the export.

[LanguageModel(Embedding = 6)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 9, Dropout = 0.2f)]
public partial class GruLm1;

[LanguageModel(Embedding = 5)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 8)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 7)]
public partial class GruLm2;

[LanguageModel(Embedding = 6)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 9)]
public partial class LstmLm1;

[LanguageModel(Embedding = 4)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 8, Dropout = 0.3f)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 6)]
public partial class LstmLm2;

[LanguageModel(Embedding = 6)]
[Layer(typeof(RnnGen.Cells.SimpleRnn), Hidden = 9)]
public partial class RnnLm1;

[LanguageModel(Embedding = 5)]
[Layer(typeof(RnnGen.Cells.SimpleRnn), Hidden = 8)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 6)]
public partial class RnnLstmLm2;

[LanguageModel(Embedding = 5)]
[Layer(typeof(RnnGen.Cells.SimpleRnn), Hidden = 8)]
[Layer(typeof(RnnGen.Cells.SimpleRnn), Hidden = 7)]
public partial class RnnLm2;
