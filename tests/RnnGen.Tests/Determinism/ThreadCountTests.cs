using System.Numerics;
using System.Runtime.InteropServices;
using RnnGen.Kernels;
using RnnGen.Tests.Cells;
using RnnGen.Tests.Models;
using RnnGen.Tests.Topologies;

namespace RnnGen.Tests.Determinism;

/// <summary>
/// The same bits on any number of threads: outputs, states, losses, gradients and trained parameters do
/// not depend on <see cref="Parallelism.MaxThreads"/>, whose counts are forced here above this machine's
/// cores. Runs alone (the collection of <see cref="RowSplitTests"/>), since it changes the global setting.
/// </summary>
[Collection(nameof(RowSplitTests))]
public class ThreadCountTests
{
    private static readonly int[] ThreadCounts = [1, 2, 3, 4, 8];

    /// <summary>
    /// Shapes that take each scheduling path: a batch of one block (6, 7: a single part, which main split in two),
    /// batches split by rows over several parts (24 divides evenly, 43 does not), and a hidden size whose step
    /// products are big enough to be split by columns, with each step's fused passes shared by rows (13 rows).
    /// </summary>
    public static TheoryData<string, int, int, int> Shapes()
    {
        var data = new TheoryData<string, int, int, int>();
        foreach (string cell in GradientCheckTests.AllCells)
        {
            data.Add(cell, 19, 5, 6);
            data.Add(cell, 19, 5, 7);
            data.Add(cell, 19, 4, 24);
            data.Add(cell, 19, 4, 43);
            data.Add(cell, 600, 3, 13);
        }
        // The linear plans' own splits: a narrow, long window whose scans run in chunks of time and whose passes over
        // every step share their rows, and a wide one whose scans split by columns.
        foreach (string cell in GradientCheckTests.LinearCells)
        {
            data.Add(cell, 19, 4096, 1);
            data.Add(cell, 600, 16, 13);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_cell_gives_the_same_bits_in_float_on_any_thread_count(string name, int hidden, int steps, int batch) =>
        Compare<float>(name, hidden, steps, batch);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void A_cell_gives_the_same_bits_in_double_on_any_thread_count(string name, int hidden, int steps, int batch) =>
        Compare<double>(name, hidden, steps, batch);

    /// <summary>The shapes above really exercise the parallel paths, so that the comparisons can fail.</summary>
    [Fact]
    public void The_shapes_take_the_parallel_paths()
    {
        int threads = Parallelism.MaxThreads;
        try
        {
            Parallelism.MaxThreads = 4;
            Assert.True(RowSplit.Parts(24, 2.0 * 24 * 3 * 19 * 19) >= 2, "a small recurrence over 24 rows is split by rows");
            Assert.True(RowSplit.Parts(43, 2.0 * 43 * 19 * 19) >= 2, "a small recurrence over 43 rows is split by rows");
            double big = 2.0 * 13 * 600 * 600;
            Assert.True(big >= Gemm.ParallelMinFlops, "the hidden-600 step products are big enough to split by columns");
            Assert.Equal(1, RowSplit.Parts(13, big));
            Assert.True(RowSplit.PassesInParallel(13, 600), "the hidden-600 passes share their rows between threads");
            Assert.True(LinearScanPlan.Chunks(4096, 19) > 1 && LinearScanPlan.Parts(4096, 19) >= 2, "the batch-1 scans run in chunks of time on several threads");
            Assert.True(RnnGen.Recurrence.TimeBatch.Parts(4096, 19) >= 2, "the batch-1 passes over every step share their rows");
            Assert.True(LinearScanPlan.Chunks(16, 13 * 600) == 1 && LinearScanPlan.Parts(16, 13 * 600) >= 2, "the batch-13 scans split by columns");
        }
        finally
        {
            Parallelism.MaxThreads = threads;
        }
    }

    private static void Compare<T>(string name, int hidden, int steps, int batch)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var cell = GradientCheckTests.Create(name, 5, hidden);
        int input = cell.InputSize;
        var random = new Random(11);
        var p = new T[cell.ParameterCount];
        if (typeof(T) == typeof(float)) cell.Initialize(F(p), random);
        else cell.Initialize(D(p), random);
        T[] Values(int n) => Enumerable.Range(0, n).Select(_ => T.CreateTruncating(random.NextDouble() * 2 - 1)).ToArray();
        var x = Values(steps * batch * input);
        var s = Values(cell.StateCount * batch * hidden);
        var dy = Values(steps * batch * hidden);
        var dFinal = Values(cell.StateCount * batch * hidden);

        T[][] Run()
        {
            var y = new T[steps * batch * hidden];
            var final = new T[s.Length];
            var g = new T[p.Length];
            var dx = new T[x.Length];
            var ds = new T[s.Length];
            if (typeof(T) == typeof(float))
            {
                var tape = new CellTape<float>();
                cell.Forward(F(p), F(x), F(s), F(y), F(final), tape, steps, batch);
                cell.Backward(F(p), F(x), tape, F(dy), F(dFinal), F(g), F(dx), F(ds));
            }
            else
            {
                var tape = new CellTape<double>();
                cell.Forward(D(p), D(x), D(s), D(y), D(final), tape, steps, batch);
                cell.Backward(D(p), D(x), tape, D(dy), D(dFinal), D(g), D(dx), D(ds));
            }
            return [y, final, g, dx, ds];
        }

        string[] what = ["outputs", "final states", "parameter gradients", "input gradients", "initial state gradients"];
        // Batches of two blocks or more are split by rows; hidden 600 splits its products and shares its passes.
        // A linear plan splits its scans and its passes over every step instead (the shapes of The_shapes_take_the_parallel_paths).
        bool linear = ((RnnGen.Recurrence.IPlannedCell)cell).Plan.IsLinear;
        bool parallel = linear
            ? LinearScanPlan.Parts(steps, batch * hidden) > 1 || RnnGen.Recurrence.TimeBatch.Parts(steps * batch, hidden) > 1
            : batch >= 2 * RowSplit.BlockRows;
        var results = OnEachThreadCount(Run, parallel);
        for (int i = 1; i < results.Count; i++)
            for (int k = 0; k < what.Length; k++)
                AssertSameBits($"{name} {typeof(T).Name} {what[k]} on {ThreadCounts[i]} threads", results[0][k], results[i][k]);
    }

    /// <summary>Four Adam steps of a stacked language model (GRU under a custom cell) over 12 rows.</summary>
    [Fact]
    public void Training_a_language_model_gives_the_same_losses_gradients_and_parameters_on_any_thread_count()
    {
        string text = BracketLanguage.Generate(2000, seed: 5);
        var vocab = Vocabulary.Characters(text);
        var tokens = vocab.Encode(text);
        var results = OnEachThreadCount(() =>
        {
            var model = new StackedModel(vocab.Count, seed: 3);
            var losses = new List<float>();
            var history = new Trainer(model, new Adam(1e-2f), new TrainingOptions
            {
                BatchSize = 12, Steps = 10, Epochs = 1, MaxTokens = 4 * 12 * 10, Seed = 7,
                ProgressInterval = TimeSpan.Zero, Progress = new SynchronousProgress<TrainingProgress>(r => losses.Add(r.Loss)),
            }).Fit(tokens, validationFraction: 0.1);
            losses.AddRange(history.Results.SelectMany(r => new[] { r.TrainLoss, r.ValidationLoss }));
            return Snapshot(model.Parameters, losses);
        }, parallel: true);
        AssertSameTraining(results);
    }

    /// <summary>Four Adam steps of a bidirectional classifier over batches of 16 sequences of mixed lengths.</summary>
    [Fact]
    public void Training_a_classifier_gives_the_same_losses_gradients_and_parameters_on_any_thread_count()
    {
        var (train, validation) = TopologyTrainerTests.OrderTask(64, 1).Split(0.25, seed: 2);
        var results = OnEachThreadCount(() =>
        {
            var model = new BiGruMeanClassifier(TopologyData.Vocab, seed: 3);
            var losses = new List<float>();
            var history = new Trainer(model, new Adam(1e-2f), new TrainingOptions
            {
                BatchSize = 16, Epochs = 2, Seed = 4,
                ProgressInterval = TimeSpan.Zero, Progress = new SynchronousProgress<TrainingProgress>(r => losses.Add(r.Loss)),
            }).Fit(train, validation);
            losses.AddRange(history.Results.SelectMany(r => new[] { r.TrainLoss, r.ValidationLoss }));
            return Snapshot(model.Parameters, losses);
        }, parallel: true);
        AssertSameTraining(results);
    }

    private static (float[] Values, float[] Gradients, float[] Losses) Snapshot(IReadOnlyList<Parameter> parameters, List<float> losses) =>
        (parameters.SelectMany(q => q.Value.ToArray()).ToArray(), parameters.SelectMany(q => q.Gradient.ToArray()).ToArray(), losses.ToArray());

    private static void AssertSameTraining(List<(float[] Values, float[] Gradients, float[] Losses)> results)
    {
        Assert.True(results[0].Losses.Length >= 3, "training reported its losses");
        for (int i = 1; i < results.Count; i++)
        {
            AssertSameBits($"losses on {ThreadCounts[i]} threads", results[0].Losses, results[i].Losses);
            AssertSameBits($"gradients on {ThreadCounts[i]} threads", results[0].Gradients, results[i].Gradients);
            AssertSameBits($"parameters on {ThreadCounts[i]} threads", results[0].Values, results[i].Values);
        }
    }

    /// <summary>The results of <paramref name="run"/> on each thread count; with <paramref name="parallel"/>, each run
    /// on more than one thread must have handed work to the pool's workers, so that a comparison can fail.</summary>
    private static List<TResult> OnEachThreadCount<TResult>(Func<TResult> run, bool parallel)
    {
        int threads = Parallelism.MaxThreads;
        try
        {
            var results = new List<TResult>();
            foreach (int count in ThreadCounts)
            {
                Parallelism.MaxThreads = count;
                long jobs = GemmParallel.JobsRun;
                results.Add(run());
                if (parallel && count > 1)
                    Assert.True(GemmParallel.JobsRun > jobs, $"nothing ran in parallel on {count} threads");
            }
            return results;
        }
        finally
        {
            Parallelism.MaxThreads = threads;
        }
    }

    private static void AssertSameBits<T>(string what, T[] expected, T[] actual)
        where T : unmanaged
    {
        Assert.Equal(expected.Length, actual.Length);
        var e = MemoryMarshal.AsBytes(expected.AsSpan());
        var a = MemoryMarshal.AsBytes(actual.AsSpan());
        if (e.SequenceEqual(a))
            return;
        int first = Enumerable.Range(0, expected.Length).First(i => !BitsEqual(expected[i], actual[i]));
        int count = Enumerable.Range(0, expected.Length).Count(i => !BitsEqual(expected[i], actual[i]));
        Assert.Fail($"{what}: {count} of {expected.Length} values differ from 1 thread's, the first at [{first}]: {expected[first]} vs {actual[first]}");
    }

    private static bool BitsEqual<T>(T a, T b) where T : unmanaged =>
        MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in a)).SequenceEqual(MemoryMarshal.AsBytes(new ReadOnlySpan<T>(in b)));

    private static Span<float> F<T>(T[] a) where T : unmanaged => MemoryMarshal.Cast<T, float>(a.AsSpan());
    private static Span<double> D<T>(T[] a) where T : unmanaged => MemoryMarshal.Cast<T, double>(a.AsSpan());

    /// <summary>Reports on the training thread, in order (System.Progress would post them to the thread pool).</summary>
    private sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
