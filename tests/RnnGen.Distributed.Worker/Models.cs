namespace RnnGen.Distributed.Worker;

// Small models of the topologies the distributed tests train; no dropout, so that two ranks of batch B/2 and one
// process of batch B compute the same numbers (a rank draws its own dropout masks).

[LanguageModel(Embedding = 8)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 16)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 12)]
public partial class TestLanguageModel;

[SequenceClassifier(Embedding = 6, Classes = 3, Pooling = Pooling.Mean)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 10)]
public partial class TestClassifier;

[SequenceTagger(Embedding = 5, Tags = 4)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 8)]
public partial class TestTagger;
