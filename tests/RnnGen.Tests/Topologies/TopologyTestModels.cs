namespace RnnGen.Tests.Topologies;

// Small models of every new topology, declared as a user would; sizes chosen so that vector bodies and
// scalar tails both run and a finite-difference check of every parameter stays quick.

[SequenceClassifier(Embedding = 5, Classes = 3, Pooling = Pooling.Mean, Bidirectional = true)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 6)]
public partial class BiGruMeanClassifier;

[SequenceClassifier(Embedding = 4, Classes = 2, Pooling = Pooling.Last, Bidirectional = true)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 5)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 3)]
public partial class BiStackedLastClassifier;

[SequenceClassifier(Embedding = 4, Classes = 4, Pooling = Pooling.Max)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 7, Dropout = 0.3f)]
[Layer(typeof(RnnGen.Tests.Cells.Mgu), Hidden = 5)]
public partial class MaxPoolClassifier;

[SequenceTagger(Embedding = 5, Tags = 4, Bidirectional = true)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 4)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 4)]
public partial class BiLstmTagger;

/// <summary>Cells planned as linear scans (one with an output state), both ways and stacked: the scans run on the reversed rows and under padding.</summary>
[SequenceTagger(Embedding = 4, Tags = 3, Bidirectional = true)]
[Layer(typeof(RnnGen.Tests.Cells.MinGruTest), Hidden = 5)]
[Layer(typeof(RnnGen.Tests.Cells.QrnnLikeTest), Hidden = 4)]
public partial class BiLinearTagger;
/// <summary>Issue 12's inputs in both directions: a QRNN (W * Prev(x)), then an SRU reading its input (the two
/// directions' 2 x 5 outputs) elementwise; backwards, Prev is the next real token, zero before a row's last.</summary>
[SequenceTagger(Embedding = 5, Tags = 4, Bidirectional = true)]
[Layer(typeof(RnnGen.Tests.Cells.Qrnn), Hidden = 5)]
[Layer(typeof(RnnGen.Tests.Cells.Sru), Hidden = 10)]
public partial class BiPrevTagger;

[SequenceTagger(Embedding = 3, Tags = 3)]
[Layer(typeof(RnnGen.Cells.SimpleRnn), Hidden = 6)]
public partial class RnnTagger;

[SequenceRegressor(Inputs = 2, Outputs = 3)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 6)]
public partial class GruRegressor;

[SequenceRegressor(Inputs = 1, Outputs = 2, Bidirectional = true)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 4)]
[Layer(typeof(RnnGen.Cells.Lstm), Hidden = 3)]
public partial class BiRegressor;

/// <summary>Random data of the test models' shapes: rows of different lengths, so every batch has padding.</summary>
internal static class TopologyData
{
    public const int Vocab = 7;
    public static readonly int[] Lengths = [5, 2, 4, 1];

    public static int[][] Tokens(int seed, int[]? lengths = null)
    {
        var random = new Random(seed);
        return (lengths ?? Lengths).Select(n => Enumerable.Range(0, n).Select(_ => random.Next(Vocab)).ToArray()).ToArray();
    }

    public static int[] Labels(int seed, int classes) { var r = new Random(seed); return Lengths.Select(_ => r.Next(classes)).ToArray(); }

    public static int[][] Tags(int seed, int tags, int[]? lengths = null)
    {
        var random = new Random(seed);
        return (lengths ?? Lengths).Select(n => Enumerable.Range(0, n).Select(_ => random.Next(tags)).ToArray()).ToArray();
    }

    public static float[][] Series(int seed, int width, int[]? lengths = null)
    {
        var random = new Random(seed);
        return (lengths ?? Lengths).Select(n => Enumerable.Range(0, n * width).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray()).ToArray();
    }
}
