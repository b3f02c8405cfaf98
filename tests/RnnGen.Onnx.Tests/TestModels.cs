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

/// <summary>A cell of our own, with no ONNX form yet: its export must fail, naming the layer and the cell.</summary>
[RecurrentCell]
public partial class Minimal
{
    Weight W_x, W_h;
    Bias b;

    Vec Step(Vec x, Vec h) => Ops.Tanh(W_x * x + W_h * h + b);
}

[LanguageModel(Embedding = 4)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 5)]
[Layer(typeof(Minimal), Hidden = 5)]
public partial class CustomCellLm;
