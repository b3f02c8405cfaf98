using RnnGen.Kernels;
using RnnGen.Recurrence;

namespace RnnGen.Tests.Cells;

/// <summary>
/// The entry point that runtime code (inference sessions) uses to run one step itself: it fills the plan's
/// buffers with its own products and runs each pass over a range of rows and columns.
/// </summary>
public class RecurrencePassTests
{
    [Theory]
    [InlineData("Gru")]
    [InlineData("Lstm")]
    [InlineData("Mgu")] // a second product whose operand is a value of the first pass
    public void One_step_through_the_passes_with_the_columns_split_in_two_gives_the_bits_of_Forward(string name)
    {
        // 136 hidden units: halves [0, 64) and [64, 136), the second with a row's scalar tail.
        const int input = 24, hidden = 136, batch = 5;
        var cell = GradientCheckTests.Create(name, input, hidden);
        int states = cell.StateCount;
        var random = new Random(3);
        var parameters = new float[cell.ParameterCount];
        cell.Initialize(parameters, random);
        float[] Values(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var x = Values(batch * input);
        var initial = Values(states * batch * hidden);

        var outputs = new float[batch * hidden];
        var final = new float[states * batch * hidden];
        cell.Forward(parameters, x, initial, outputs, final, new CellTape<float>(), 1, batch);

        var plan = ((IPlannedCell)cell).Plan;
        var buffers = RecurrenceBuffers<float>.For(plan, new CellTape<float>(), 1, batch);
        for (int k = 0; k < states; k++) initial.AsSpan(k * batch * hidden, batch * hidden).CopyTo(buffers.States(k));
        for (int p = 0; p < plan.Passes.Length; p++)
        {
            for (int g = 0; g < plan.Products.Length; g++)
            {
                var product = plan.Products[g];
                if (product.IsInput ? p != 0 : product.Level != plan.Passes[p].Level) continue;
                ReadOnlySpan<float> operand = product.Operand.Kind switch
                {
                    OperandKind.Input => x,
                    OperandKind.State => buffers.States(product.Operand.Index).Slice(0, batch * hidden),
                    _ => buffers.Saved(product.Operand.Index),
                };
                int columns = product.IsInput ? input : hidden, width = product.Blocks * hidden;
                foreach (var run in product.Runs)
                    Gemm.Multiply<float>(false, true, batch, run.Blocks * hidden, columns, operand, columns, parameters.AsSpan(run.Weight), columns,
                        buffers.Products(g).Slice(run.FirstBlock * hidden), width, false);
            }
            plan.ForwardPass(buffers, parameters, 0, p, 0, batch, 0, 64);
            plan.ForwardPass(buffers, parameters, 0, p, 0, batch, 64, hidden);
        }

        for (int k = 0; k < states; k++)
            Assert.Equal(Bits(final.AsSpan(k * batch * hidden, batch * hidden)), Bits(buffers.States(k).Slice(batch * hidden, batch * hidden)));
        Assert.Equal(Bits(outputs), Bits(buffers.States(0).Slice(batch * hidden, batch * hidden)));
    }

    [Fact]
    public void A_range_outside_the_buffers_is_refused_naming_the_range()
    {
        var cell = new RnnGen.Cells.Gru(4, 16);
        var plan = ((IPlannedCell)cell).Plan;
        var parameters = new float[cell.ParameterCount];
        var buffers = RecurrenceBuffers<float>.For(plan, new CellTape<float>(), 1, 3);
        var rows = Assert.Throws<ArgumentOutOfRangeException>(() => plan.ForwardPass(buffers, parameters, 0, 0, 0, 4, 0, 16));
        Assert.Contains("rows [0, 4)", rows.Message);
        var columns = Assert.Throws<ArgumentOutOfRangeException>(() => plan.ForwardPass(buffers, parameters, 0, 0, 0, 3, 8, 17));
        Assert.Contains("columns [8, 17)", columns.Message);
        var pass = Assert.Throws<ArgumentOutOfRangeException>(() => plan.ForwardPass(buffers, parameters, 0, 1, 0, 3, 0, 16));
        Assert.Contains("1 passes", pass.Message);
        Assert.Throws<ArgumentException>(() => plan.ForwardPass(buffers, new float[3], 0, 0, 0, 3, 0, 16));
    }

    [Fact]
    public void Two_callers_with_their_own_tapes_run_one_cell_at_once()
    {
        // The cell keeps no per-call state: everything a call needs lives on its tape.
        const int input = 8, hidden = 64, steps = 5, batch = 12;
        var cell = new RnnGen.Cells.Gru(input, hidden);
        var random = new Random(1);
        var parameters = new float[cell.ParameterCount];
        cell.Initialize(parameters, random);
        float[] Values(int n) => Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        var inputs = new[] { Values(steps * batch * input), Values(steps * batch * input) };
        var dy = Values(steps * batch * hidden);

        int[] Run(float[] x, CellTape<float> tape)
        {
            var y = new float[steps * batch * hidden];
            var g = new float[parameters.Length];
            cell.Forward(parameters, x, ReadOnlySpan<float>.Empty, y, Span<float>.Empty, tape, steps, batch);
            cell.Backward(parameters, x, tape, dy, ReadOnlySpan<float>.Empty, g, Span<float>.Empty, Span<float>.Empty);
            return [.. Bits(y), .. Bits(g)];
        }
        var expected = inputs.Select(x => Run(x, new CellTape<float>())).ToArray();
        var results = new int[2][][];
        Parallel.For(0, 2, caller =>
        {
            var tape = new CellTape<float>();
            results[caller] = Enumerable.Range(0, 20).Select(_ => Run(inputs[caller], tape)).ToArray();
        });
        for (int caller = 0; caller < 2; caller++)
            foreach (var result in results[caller]) Assert.Equal(expected[caller], result);
    }

    private static int[] Bits(ReadOnlySpan<float> values)
    {
        var bits = new int[values.Length];
        for (int i = 0; i < values.Length; i++) bits[i] = BitConverter.SingleToInt32Bits(values[i]);
        return bits;
    }
}
