namespace RnnGen.Tests.Cells;

/// <summary>
/// What a cell that reads its input elementwise or through Prev looks like from outside: the sizes it accepts, the
/// states the generator adds for Prev, and Prev's zero before the first step.
/// </summary>
public class InputElementwiseTests
{
    [Fact]
    public void A_cell_that_reads_its_input_elementwise_rejects_an_input_size_other_than_the_hidden_size_naming_both()
    {
        var e = Assert.Throws<ArgumentException>(() => new Sru(5, 8));
        Assert.Contains("Sru: its step uses its input elementwise ('(1 - r) * x')", e.Message);
        Assert.Contains("input size 5 and hidden size 8", e.Message);

        var shift = Assert.Throws<ArgumentException>(() => new TokenShiftCell(8, 5));
        Assert.Contains("TokenShiftCell", shift.Message);
        Assert.Contains("input size 8 and hidden size 5", shift.Message);

        Assert.Equal(8, new Sru(8, 8).InputSize);
    }

    [Fact]
    public void A_model_whose_embedding_is_not_as_wide_as_such_a_layer_fails_at_construction_naming_the_cell_and_sizes()
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => new NarrowSruModel(7, 1));
        Assert.Contains("Sru", e.Message);
        Assert.Contains("input size 6 and hidden size 8", e.Message);
    }

    [Fact]
    public void W_times_Prev_of_x_needs_no_equal_sizes_and_adds_one_state_per_weight()
    {
        var qrnn = new Qrnn(5, 8); // c, then Vz * x and Vf * x carried for the next step's Vz * Prev(x) and Vf * Prev(x)
        Assert.Equal(3, qrnn.StateCount);
        Assert.Equal(new[] { "Wz", "Wf", "Vz", "Vf", "bz", "bf" }, qrnn.Parameters.Select(p => p.Name));
        Assert.All(qrnn.Parameters.Where(p => !p.IsVector), p => Assert.Equal(5, p.Columns)); // V multiplies the input
        Assert.Equal(2, new TokenShiftCell(8, 8).StateCount); // h, then x carried for Prev(x)
    }

    [Fact]
    public void Prev_is_zero_before_the_first_step_and_the_previous_input_after()
    {
        // One step from zero states is the cell with Prev(x) = 0; the added state after it holds Vz * x and Vf * x.
        const int input = 3, hidden = 4, batch = 2;
        var cell = new Qrnn(input, hidden);
        var random = new Random(9);
        var p = new double[cell.ParameterCount];
        cell.Initialize(p, random);
        var x = Enumerable.Range(0, batch * input).Select(_ => random.NextDouble() * 2 - 1).ToArray();
        var outputs = new double[batch * hidden];
        var final = new double[cell.StateCount * batch * hidden];
        cell.Forward(p, x, [], outputs, final, new CellTape<double>(), 1, batch);

        var at = cell.Parameters.ToDictionary(t => t.Name, t => t.Offset);
        double Product(string w, int b, int j) => Enumerable.Range(0, input).Sum(i => p[at[w] + j * input + i] * x[b * input + i]);
        for (int b = 0; b < batch; b++)
        {
            for (int j = 0; j < hidden; j++)
            {
                double z = Math.Tanh(Product("Wz", b, j) + p[at["bz"] + j]);
                double f = 1 / (1 + Math.Exp(-(Product("Wf", b, j) + p[at["bf"] + j])));
                Assert.Equal((1 - f) * z, outputs[b * hidden + j], 12); // c starts at zero
                Assert.Equal(Product("Vz", b, j), final[(1 * batch + b) * hidden + j], 12);
                Assert.Equal(Product("Vf", b, j), final[(2 * batch + b) * hidden + j], 12);
            }
        }
    }
}

/// <summary>An SRU fed a 6-wide embedding at 8 hidden units: a size mismatch only the layer's construction can see.</summary>
[LanguageModel(Embedding = 6)]
[Layer(typeof(Sru), Hidden = 8)]
public partial class NarrowSruModel;
