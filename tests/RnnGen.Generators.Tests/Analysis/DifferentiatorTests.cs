using RnnGen.Generators.Differentiation;
using RnnGen.Generators.Model;
using RnnGen.Generators.Operations;
using RnnGen.Generators.Planning;
using static RnnGen.Generators.Differentiation.Term;

namespace RnnGen.Generators.Tests.Analysis;

/// <summary>Normalisation and differentiation on IR built by hand: which copies are made, which adjoint terms each node sends where.</summary>
public sealed class DifferentiatorTests
{
    [Fact]
    public void A_product_sends_each_operand_the_adjoint_times_the_other()
    {
        var ir = new Ir();
        int u = ir.Weight("U");
        int h = ir.State(), uh = ir.MatVec(u, h);
        int m = ir.Op(NodeKind.Multiply, uh, h);
        int o = ir.Output(m);

        var gradient = Differentiator.Differentiate(ir.Build());

        Assert.Equal(new[]
        {
            new Contribution(m, uh, -1, Adj * Val(h)),
            new Contribution(m, h, -1, Adj * Val(uh)),
            new Contribution(o, m, -1, Adj),
        }, gradient.Contributions);
    }

    [Fact]
    public void Constants_receive_nothing_and_the_input_read_elementwise_receives_its_adjoint()
    {
        var ir = new Ir();
        int x = ir.Input(), h = ir.State();
        int two = ir.Constant(2);
        int scaled = ir.Op(NodeKind.Multiply, two, h);
        int sum = ir.Op(NodeKind.Add, x, scaled);
        ir.Output(sum);

        var gradient = Differentiator.Differentiate(ir.Build());

        Assert.DoesNotContain(gradient.Contributions, c => gradient.Cell.Nodes[Math.Max(c.ToNode, 0)].Kind == NodeKind.Constant);
        Assert.Contains(new Contribution(sum, x, -1, Adj), gradient.Contributions); // x + 2h: dx += d
        Assert.Contains(new Contribution(scaled, h, -1, Adj * Val(two)), gradient.Contributions); // 2 * h: dh += d · 2
        Assert.Contains(new Contribution(sum, scaled, -1, Adj), gradient.Contributions);
    }

    [Fact]
    public void A_subtraction_negates_the_adjoint_of_its_right_operand()
    {
        var ir = new Ir();
        int u = ir.Weight("U");
        int h = ir.State(), uh = ir.MatVec(u, h);
        int d = ir.Op(NodeKind.Subtract, h, uh);
        ir.Output(d);

        var contributions = Differentiator.Differentiate(ir.Build()).Contributions.Where(c => c.From == d).ToArray();

        Assert.Equal(new[] { new Contribution(d, h, -1, Adj), new Contribution(d, uh, -1, -Adj) }, contributions);
    }

    [Fact]
    public void Sigmoid_and_tanh_differentiate_through_their_own_value_and_relu_through_its_sign()
    {
        var ir = new Ir();
        int h = ir.State();
        int s = ir.Op(NodeKind.Sigmoid, h), t = ir.Op(NodeKind.Tanh, s), r = ir.Op(NodeKind.Relu, t);
        ir.Output(r);

        var gradient = Differentiator.Differentiate(ir.Build());

        Assert.Contains(new Contribution(s, h, -1, Adj * Val(s) * (Const(1) - Val(s))), gradient.Contributions);
        Assert.Contains(new Contribution(t, s, -1, Adj * (Const(1) - Val(t) * Val(t))), gradient.Contributions);
        Assert.Contains(new Contribution(r, t, -1, Adj * Apply(NodeKind.Positive, Val(r))), gradient.Contributions);
    }

    [Fact]
    public void A_LayerNorm_sends_its_gain_and_bias_gradients_to_the_parameters_and_its_input_after_the_row_sums()
    {
        var ir = new Ir();
        int u = ir.Weight("U"), g = ir.BiasField("g"), beta = ir.BiasField("beta");
        int h = ir.State(), a = ir.Op(NodeKind.Tanh, ir.MatVec(u, h));
        int n = ir.LayerNorm(a, g, beta);
        ir.Output(n);
        var cell = ir.Build();

        var mine = Differentiator.Differentiate(cell).Contributions.Where(c => c.From == n).ToArray();

        Assert.Equal(new[] { (-1, g), (-1, beta), (a, -1) }, mine.Select(c => (c.ToNode, c.ToParam)));
        Assert.Equal(Adj, mine[1].Term);
        Assert.Equal(new[] { false, false, true }, mine.Select(c => OperationTable.ReadsAdjointRow(c.Term, cell.Nodes)));
        // Instantiated on the node: its statistics and its operand, not the template's placeholders.
        Assert.True(mine[2].Term.Reads(t => t.Kind == TermKind.Statistic && t.Id == n && t.Name == "M2"));
        Assert.True(mine[2].Term.Reads(t => t.Kind == TermKind.Value && t.Id == a));
        Assert.False(mine[0].Term.Reads(t => t.Kind == TermKind.Parameter));
        Assert.True(mine[2].Term.Reads(t => t.Kind == TermKind.Parameter && t.Id == g));
    }

    [Fact]
    public void The_normalizer_copies_a_product_that_another_product_or_a_LayerNorm_reads()
    {
        var ir = new Ir();
        int w = ir.Weight("W"), u = ir.Weight("U"), g = ir.BiasField("g"), beta = ir.BiasField("beta");
        int h = ir.State(), uh = ir.MatVec(u, h);
        int wuh = ir.MatVec(w, uh);
        int n = ir.LayerNorm(uh, g, beta);
        ir.Output(ir.Op(NodeKind.Add, wuh, n));

        var normalized = Normalizer.Normalize(ir.Build());

        var copy = Assert.Single(normalized.Nodes, x => x.Kind == NodeKind.Identity);
        Assert.Equal(uh, copy.A);
        var product = Assert.Single(normalized.Nodes, x => x.Kind == NodeKind.MatVec && x.Param == w);
        var norm = Assert.Single(normalized.Nodes, x => x.Kind == NodeKind.LayerNorm);
        Assert.Equal(copy.Id, product.A); // one copy serves both readers
        Assert.Equal(copy.Id, norm.A);
        Assert.All(normalized.Nodes, x => Assert.True(x.A < x.Id && x.B < x.Id, $"node {x.Id} reads a later node"));
        Assert.Equal(normalized.Nodes.Single(x => x.Kind == NodeKind.Output).Id, Assert.Single(normalized.Outputs));
    }

    [Fact]
    public void The_normalizer_leaves_a_cell_that_needs_no_copy_as_it_is()
    {
        var ir = new Ir();
        int u = ir.Weight("U"), b = ir.BiasField("b");
        ir.Output(ir.Op(NodeKind.Tanh, ir.Op(NodeKind.Add, ir.MatVec(u, ir.State()), ir.Bias(b))));
        var cell = ir.Build();

        Assert.Equal(cell, Normalizer.Normalize(cell));
    }
}
