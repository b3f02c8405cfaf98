using BenchmarkDotNet.Attributes;

namespace RnnGen.Benchmarks;

/// <summary>
/// The generated cells over one window of a reference configuration: Forward (the hoisted input product,
/// the per-step products and the fused gate passes) and Backward (fused adjoint passes, per-step products,
/// the weight-gradient products).
/// </summary>
[MemoryDiagnoser]
public class CellBenchmarks
{
    private IRecurrentCell _cell = null!;
    private float[] _p = [], _x = [], _y = [], _g = [], _dx = [];
    private readonly CellTape<float> _tape = new();
    private const int Steps = 64, Batch = 32, Input = 64;

    [Params("gru", "lstm")]
    public string Cell { get; set; } = "gru";

    [Params(128, 512)]
    public int Hidden { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _cell = Cell == "gru" ? new Cells.Gru(Input, Hidden) : new Cells.Lstm(Input, Hidden);
        _p = new float[_cell.ParameterCount];
        _cell.Initialize(_p, new Random(1));
        _x = new float[Steps * Batch * Input];
        for (int i = 0; i < _x.Length; i++) _x[i] = (i % 17) / 17f - 0.5f;
        _y = new float[Steps * Batch * Hidden];
        _g = new float[_p.Length];
        _dx = new float[_x.Length];
        _cell.Forward(_p, _x, default, _y, default, _tape, Steps, Batch);
    }

    [Benchmark]
    public void Forward() => _cell.Forward(_p, _x, default, _y, default, _tape, Steps, Batch);

    [Benchmark]
    public void Backward() => _cell.Backward(_p, _x, _tape, _y, default, _g, _dx, default);
}

/// <summary>Softmax with cross-entropy fused with its gradient, over a window of logits.</summary>
[MemoryDiagnoser]
public class SoftmaxCrossEntropyBenchmarks
{
    private readonly RnnGen.Modules.SoftmaxCrossEntropy<float> _loss = new();
    private float[] _logits = [], _gradients = [];
    private int[] _targets = [];

    [Params(65, 10000)]
    public int Vocab { get; set; }

    [Params(2048)]
    public int Rows { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _logits = Enumerable.Range(0, Rows * Vocab).Select(_ => (float)random.NextDouble() * 4 - 2).ToArray();
        _gradients = new float[_logits.Length];
        _targets = Enumerable.Range(0, Rows).Select(_ => random.Next(Vocab)).ToArray();
    }

    [Benchmark]
    public double LossOnly() => _loss.Forward(_logits, Vocab, _targets, keepGradient: false);

    [Benchmark]
    public double LossAndGradient()
    {
        _logits.CopyTo(_gradients, 0); // the gradient overwrites its logits
        return _loss.Forward(_gradients, Vocab, _targets, keepGradient: true);
    }
}
