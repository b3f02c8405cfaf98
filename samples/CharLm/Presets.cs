using RnnGen;
using RnnGen.Checkpoints;
using RnnGen.Models;
using RnnGen.Text;
using RnnGen.Training;
using RnnGen.Datasets;

namespace CharLm;

// The model presets, declared with RnnGen's DSL: the generator turns each into a LanguageModel subclass.

[LanguageModel(Embedding = 16)]
[Layer(typeof(Cells.Gru), Hidden = 32)]
public partial class GruTiny;

[LanguageModel(Embedding = 64)]
[Layer(typeof(Cells.Gru), Hidden = 128)]
public partial class GruSmall;

[LanguageModel(Embedding = 64)]
[Layer(typeof(Cells.Gru), Hidden = 256)]
public partial class GruMedium;

[LanguageModel(Embedding = 64)]
[Layer(typeof(Cells.Gru), Hidden = 512)]
public partial class GruLarge;

[LanguageModel(Embedding = 64)]
[Layer(typeof(Cells.Gru), Hidden = 512, Dropout = 0.25f)]
[Layer(typeof(Cells.Gru), Hidden = 512, Dropout = 0.25f)]
public partial class GruDeep;

[LanguageModel(Embedding = 64)]
[Layer(typeof(Cells.Lstm), Hidden = 128)]
public partial class LstmSmall;

[LanguageModel(Embedding = 64)]
[Layer(typeof(Cells.Lstm), Hidden = 256)]
public partial class LstmMedium;

[LanguageModel(Embedding = 64)]
[Layer(typeof(Cells.Lstm), Hidden = 512)]
[Layer(typeof(Cells.Lstm), Hidden = 512, Dropout = 0.2f)]
public partial class LstmLarge;

// The cells of 2017-2025 (issue 12). A minGRU layer's state enters only linearly (no recurrent matrix), so its
// nonlinearity comes from depth: three layers, each still cheaper per token than one GRU 512.
[LanguageModel(Embedding = 64)]
[Layer(typeof(Cells.MinGru), Hidden = 512)]
[Layer(typeof(Cells.MinGru), Hidden = 512)]
[Layer(typeof(Cells.MinGru), Hidden = 512)]
public partial class MinGruLarge;

[LanguageModel(Embedding = 64)]
[Layer(typeof(Cells.MinLstm), Hidden = 512)]
[Layer(typeof(Cells.MinLstm), Hidden = 512)]
[Layer(typeof(Cells.MinLstm), Hidden = 512)]
public partial class MinLstmLarge;

// QRNN: no recurrent matrix either; each layer's gates see two characters (x_t and x_{t-1}), so two layers see three.
[LanguageModel(Embedding = 64)]
[Layer(typeof(Cells.Qrnn), Hidden = 512)]
[Layer(typeof(Cells.Qrnn), Hidden = 512)]
public partial class QrnnLarge;

// sLSTM reads its state through four recurrent matrices, as an LSTM does: one layer, as gru-large.
[LanguageModel(Embedding = 64)]
[Layer(typeof(Cells.SLstm), Hidden = 512)]
public partial class SLstmLarge;

/// <summary>A named model that <c>--model</c> picks.</summary>
public sealed record Preset(string Name, string Description, Func<int, int, LanguageModel> Create)
{
    /// <summary>The number of learned values for a vocabulary of <paramref name="vocabSize"/> tokens.</summary>
    public int ParameterCount(int vocabSize) => Create(vocabSize, 0).ParameterCount;
}

public static class Presets
{
    /// <summary>The preset a run without <c>--model</c> uses: sized so that five minutes on two cores visibly learn.</summary>
    public const string DefaultName = "gru-large";

    /// <summary>The vocabulary size that <c>--model list</c> counts parameters for (about printable ASCII).</summary>
    public const int ListVocabSize = 96;

    public static IReadOnlyList<Preset> All { get; } =
    [
        new("gru-tiny", "embedding 16, GRU 32 (smoke tests)", (v, s) => new GruTiny(v, s)),
        new("gru-small", "embedding 64, GRU 128", (v, s) => new GruSmall(v, s)),
        new("gru-medium", "embedding 64, GRU 256", (v, s) => new GruMedium(v, s)),
        new("gru-large", "embedding 64, GRU 512", (v, s) => new GruLarge(v, s)),
        new("gru-deep", "embedding 64, 2 x GRU 512, dropout 0.25", (v, s) => new GruDeep(v, s)),
        new("lstm-small", "embedding 64, LSTM 128", (v, s) => new LstmSmall(v, s)),
        new("lstm-medium", "embedding 64, LSTM 256", (v, s) => new LstmMedium(v, s)),
        new("lstm-large", "embedding 64, 2 x LSTM 512, dropout 0.2", (v, s) => new LstmLarge(v, s)),
        new("mingru-large", "embedding 64, 3 x minGRU 512", (v, s) => new MinGruLarge(v, s)),
        new("minlstm-large", "embedding 64, 3 x minLSTM 512", (v, s) => new MinLstmLarge(v, s)),
        new("qrnn-large", "embedding 64, 2 x QRNN 512 (window 2)", (v, s) => new QrnnLarge(v, s)),
        new("slstm-large", "embedding 64, sLSTM 512", (v, s) => new SLstmLarge(v, s)),
    ];

    public static Preset? Find(string name) =>
        All.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The preset whose shape is <paramref name="configuration"/> (what a checkpoint stores), if any.</summary>
    public static Preset? Matching(ModelConfiguration configuration) =>
        All.FirstOrDefault(p => p.Create(configuration.VocabSize, 0).Configuration.SameShapeAs(configuration));
}
