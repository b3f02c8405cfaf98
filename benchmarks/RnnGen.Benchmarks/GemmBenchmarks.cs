using BenchmarkDotNet.Attributes;
using RnnGen.Kernels;

namespace RnnGen.Benchmarks;

/// <summary>BenchmarkDotNet view of the same shapes as the `gemm` harness, on one thread and on all cores.</summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private GemmOperands _ops = null!;

    [ParamsSource(nameof(Shapes))]
    public GemmShape Shape { get; set; } = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    public static IEnumerable<GemmShape> Shapes => GemmShape.All;

    [GlobalSetup]
    public void Setup()
    {
        _ops = new GemmOperands(Shape);
        Parallelism.MaxThreads = Threads;
    }

    [Benchmark]
    public void Multiply() => _ops.Multiply();
}
