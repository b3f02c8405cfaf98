namespace RnnGen.Onnx.Tests;

// Classifiers, taggers and regressors of every built-in cell, one-way and bidirectional, each pooling.

[SequenceClassifier(Embedding = 5, Classes = 3, Pooling = Pooling.Mean, Bidirectional = true)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 6)]
public partial class BiGruMeanClassifier;

[SequenceClassifier(Embedding = 4, Classes = 2, Pooling = Pooling.Last, Bidirectional = true)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 5)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 3)]
public partial class BiStackedLastClassifier;

[SequenceClassifier(Embedding = 4, Classes = 4, Pooling = Pooling.Max)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 7, Dropout = 0.3f)]
[Layer(typeof(RnnGen.Cells.SimpleRnn), Hidden = 5)]
public partial class MaxPoolClassifier;

[SequenceClassifier(Embedding = 4, Classes = 3, Pooling = Pooling.Last)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 6)]
public partial class LastLstmClassifier;

[SequenceClassifier(Embedding = 3, Classes = 2, Pooling = Pooling.Max, Bidirectional = true)]
[Layer(typeof(RnnGen.Cells.SimpleRnn), Hidden = 4)]
public partial class BiRnnMaxClassifier;

[SequenceClassifier(Embedding = 3, Classes = 5, Pooling = Pooling.Mean)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 4)]
public partial class MeanLstmClassifier;

[SequenceTagger(Embedding = 5, Tags = 4, Bidirectional = true)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 4)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 4)]
public partial class BiLstmTagger;

[SequenceTagger(Embedding = 3, Tags = 3)]
[Layer(typeof(RnnGen.Cells.SimpleRnn), Hidden = 6)]
public partial class RnnTagger;

[SequenceTagger(Embedding = 4, Tags = 5, Bidirectional = true)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 5)]
[Layer(typeof(RnnGen.Cells.SimpleRnn), Hidden = 3)]
public partial class BiGruRnnTagger;

[SequenceRegressor(Inputs = 2, Outputs = 3)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 6)]
public partial class GruRegressor;

[SequenceRegressor(Inputs = 1, Outputs = 2, Bidirectional = true)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 4)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 3)]
public partial class BiRegressor;

[SequenceRegressor(Inputs = 3, Outputs = 1)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 5)]
[Layer(typeof(RnnGen.Cells.SimpleRnn), Hidden = 4)]
public partial class StackedRegressor;
