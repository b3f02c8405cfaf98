using BenchmarkDotNet.Running;
using RnnGen.Benchmarks;

// `-- gemm`: the GEMM throughput harness (FMA peak, GFLOP/s per shape, medians).
// `-- packed [samples]`: per-time-step products with the weights packed once, against the plain product.
// `-- quantized [--repeats N] [--checkpoint FILE]`: batch-1 products with weights in fp32, bf16 and int8 against
// today's Gemm, on 1 and 2 threads, and the relative error of bf16 and int8 products.
// `-- bdn [BenchmarkDotNet args]` or any other args: the BenchmarkDotNet suites.
// `-- train [config...] [--no-torch] [--repeats N]`: training, inference and generation throughput of the
// reference configurations, against PyTorch in the same run.
// `-- topologies [classifier|tagger|regressor...] [--no-torch] [--repeats N] [--breakdown] [--threads N]`:
// training throughput of the sequence classifier, tagger and regressor against ../torch_topologies.py in the
// same run.
// `-- dataparallel [config...] --threads T [--distributed] [--compute] [--repeats N] [--windows W]`: data-parallel
// training throughput under mpirun, all-reduce times, compute per step at smaller per-rank batches.
// `-- latency [gru-512|lstm-512x2|word-lstm...] [--precision fp32,bf16,int8] [--tokens N] [--runs N] [--threads N] [--no-onnx] [--no-torch]`:
// batch-1 µs per token of the Stepper, a session per precision (on --threads, default all) and ONNX Runtime (1 and 2
// threads) in one process, and ../torch_latency.py (1 and 2 threads).
// `-- linear [--repeats N]`: training tokens/s of minGRU-, minLSTM- and QRNN-512 as linear scans against the step loop
// and GRU-512, batch 32 x 128 and 1 x 2,048, with the share of each call that the input's products take.
// `-- curves OUT.png TITLE RUN...`: the validation loss of training runs (their loss.csv) against minutes, in one plot.
if (args.Length > 0 && args[0] == "curves")
{
    CurvesPlot.Run(args.Skip(1).ToArray());
    return;
}
if (args.Length > 0 && args[0] == "linear")
{
    LinearHarness.Run(args.Skip(1).ToArray());
    return;
}
if (args.Length > 0 && args[0] == "latency")
{
    RnnGen.Benchmarks.Latency.LatencyHarness.Run(args.Skip(1).ToArray());
    return;
}
if (args.Length > 0 && args[0] == "dataparallel")
{
    DataParallelHarness.Run(args.Skip(1).ToArray());
    return;
}
if (args.Length > 0 && args[0] == "train")
{
    TrainingHarness.Run(args.Skip(1).ToArray());
    return;
}
if (args.Length > 0 && args[0] == "topologies")
{
    TopologyHarness.Run(args.Skip(1).ToArray());
    return;
}
if (args.Length > 0 && args[0] == "packed")
{
    PackedHarness.Run(args.Skip(1).ToArray());
    return;
}
if (args.Length > 0 && args[0] == "quantized")
{
    QuantizedHarness.Run(args.Skip(1).ToArray());
    return;
}
if (args.Length > 0 && args[0] == "gemm")
{
    GemmHarness.Run(args.Skip(1).ToArray());
    return;
}
string[] rest = args.Length > 0 && args[0] == "bdn" ? args.Skip(1).ToArray() : args;
if (rest.Length == 0)
    rest = ["--filter", "*"];
BenchmarkSwitcher.FromAssembly(typeof(GemmBenchmarks).Assembly).Run(rest);
