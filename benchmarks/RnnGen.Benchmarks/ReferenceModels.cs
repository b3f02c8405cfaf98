namespace RnnGen.Benchmarks;

// The reference configurations of the harness, declared as a user would: the generator writes each one's training step.

[LanguageModel(Embedding = 64)]
[Layer(typeof(Cells.Gru), Hidden = 128)]
public partial class Gru128;

[LanguageModel(Embedding = 64)]
[Layer(typeof(Cells.Gru), Hidden = 512)]
public partial class Gru512;

[LanguageModel(Embedding = 64)]
[Layer(typeof(Cells.Lstm), Hidden = 512)]
[Layer(typeof(Cells.Lstm), Hidden = 512)]
public partial class Lstm512x2;

[LanguageModel(Embedding = 256)]
[Layer(typeof(Cells.Lstm), Hidden = 512)]
[Layer(typeof(Cells.Lstm), Hidden = 512)]
public partial class WordLstm;
