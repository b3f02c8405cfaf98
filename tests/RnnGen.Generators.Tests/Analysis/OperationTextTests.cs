using RnnGen.Generators.Differentiation;
using RnnGen.Generators.Emit;
using RnnGen.Generators.Model;
using static RnnGen.Generators.Differentiation.Term;

namespace RnnGen.Generators.Tests.Analysis;

/// <summary>How the emitter renders the table's terms: parentheses exactly where the tree's evaluation order needs them.</summary>
public sealed class OperationTextTests
{
    private static readonly TermContext Names = new(id => "v" + id, () => "d", p => "p" + p, (id, name) => $"{name}{id}");

    private static string Render(Term term) => OperationText.Render(term, Names);

    [Fact]
    public void A_left_nested_product_needs_no_parentheses_and_a_right_nested_one_keeps_them()
    {
        Assert.Equal("d * v1 * v2", Render(Adj * Val(1) * Val(2)));
        Assert.Equal("d * (v1 * v2)", Render(Adj * (Val(1) * Val(2))));
    }

    [Fact]
    public void A_sum_inside_a_product_or_on_the_right_of_a_difference_is_parenthesised()
    {
        Assert.Equal("d * (TV.Constant(1) - v3)", Render(Adj * (Const(1) - Val(3))));
        Assert.Equal("v1 - v2 - v3", Render(Val(1) - Val(2) - Val(3)));
        Assert.Equal("v1 - (v2 - v3)", Render(Val(1) - (Val(2) - Val(3))));
        Assert.Equal("v1 + v2 * v3", Render(Val(1) + Val(2) * Val(3)));
        Assert.Equal("-(v1 + v2)", Render(-(Val(1) + Val(2))));
        Assert.Equal("-d", Render(-Adj));
    }

    [Fact]
    public void A_call_takes_its_argument_without_extra_parentheses()
    {
        Assert.Equal("d * TV.Positive(v4)", Render(Adj * Apply(NodeKind.Positive, Val(4))));
        Assert.Equal("TV.Positive(v1 - v2)", Render(Apply(NodeKind.Positive, Val(1) - Val(2))));
    }

    [Fact]
    public void Parameters_and_row_statistics_are_what_the_loop_says_they_are()
    {
        Assert.Equal("(v1 - Mean7) * Rstd7 * p2 + p3",
            Render(((Val(1) - new Term(TermKind.Statistic, 7, Name: "Mean")) * new Term(TermKind.Statistic, 7, Name: "Rstd")) * Param(0).On(Node()) + Param(1).On(Node())));
    }

    [Fact]
    public void A_forward_value_fills_the_SIMD_text_with_its_operands()
    {
        var sigmoid = new Node(5, NodeKind.Sigmoid, A: 1);
        var sum = new Node(6, NodeKind.Add, A: 1, B: 2);
        var inlined = new TermContext(id => id == 1 ? "(v9 + v8)" : "v" + id, () => "d", p => "p" + p, (id, name) => name);

        Assert.Equal("TV.Sigmoid(v9 + v8)", OperationText.Forward(sigmoid, inlined));
        Assert.Equal("(v9 + v8) + v2", OperationText.Forward(sum, inlined));
    }

    [Fact]
    public void A_row_statistic_is_read_per_row_in_the_forward_pass_and_once_per_row_backward()
    {
        var node = new Node(3, NodeKind.LayerNorm, A: 1, Param: 2, Param2: 4);
        var op = Operations.OperationTable.Of(NodeKind.LayerNorm);

        var call = OperationText.RowKernel(op.BackwardKernel!, node, "n", "r", "rowA", "rowD", p => "p" + p);

        Assert.Equal("global::RnnGen.Kernels.RowNorm.BackwardSums<T>(rowD, p2, rowA, f.Mean_n[r], f.Rstd_n[r], out f.M1_n, out f.M2_n);", call);
    }

    private static Node Node() => new(7, NodeKind.LayerNorm, A: 1, Param: 2, Param2: 3);
}
