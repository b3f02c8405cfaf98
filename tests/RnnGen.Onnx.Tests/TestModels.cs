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

// The built-in cells of 2017-2025: each exports as a Scan of its step (the linear-scan ones too: a Scan is a step loop).
[LanguageModel(Embedding = 5)]
[Layer(typeof(RnnGen.Cells.MinGru), Hidden = 6)]
[Layer(typeof(RnnGen.Cells.MinGru), Hidden = 5)]
public partial class MinGruLm;

[LanguageModel(Embedding = 5)]
[Layer(typeof(RnnGen.Cells.MinLstm), Hidden = 7)]
public partial class MinLstmLm;

[LanguageModel(Embedding = 5)]
[Layer(typeof(RnnGen.Cells.Qrnn), Hidden = 6)]
[Layer(typeof(RnnGen.Cells.Qrnn), Hidden = 4)]
public partial class QrnnLm;

/// <summary>SRU's highway reads its input elementwise: the embedding is as wide as the layers.</summary>
[LanguageModel(Embedding = 6)]
[Layer(typeof(RnnGen.Cells.Sru), Hidden = 6)]
[Layer(typeof(RnnGen.Cells.Sru), Hidden = 6)]
public partial class SruLm;

[LanguageModel(Embedding = 5)]
[Layer(typeof(RnnGen.Cells.IndRnn), Hidden = 7)]
public partial class IndRnnLm;

[LanguageModel(Embedding = 5)]
[Layer(typeof(RnnGen.Cells.SLstm), Hidden = 6)]
public partial class SLstmLm;
