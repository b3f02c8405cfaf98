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
    public void A_row_statistic_is_read_where_the_driver_keeps_it_per_row_forward_and_per_batch_row_backward()
    {
        var op = Operations.OperationTable.Of(NodeKind.LayerNorm);

        // Mean and Rstd each have a [steps, batch] buffer of their own; M1 and M2 share one, [batch, 2], in table order.
        Assert.Equal(("Means", "row"), OperationText.StatisticPlace(op, "Mean", "row", "b"));
        Assert.Equal(("Rstds", "row"), OperationText.StatisticPlace(op, "Rstd", "row", "b"));
        Assert.Equal(("NormSums", "2 * b"), OperationText.StatisticPlace(op, "M1", "row", "b"));
        Assert.Equal(("NormSums", "2 * b + 1"), OperationText.StatisticPlace(op, "M2", "row", "b"));
        // Every buffer the table names is one the runtime's frame has, taking the node's index among the cell's norms.
        foreach (var statistic in Operations.OperationTable.All.SelectMany(o => o.Statistics))
            Assert.Equal(new[] { typeof(int) },
                typeof(RnnGen.Recurrence.RecurrenceFrame<double>).GetMethod(statistic.Frame)!.GetParameters().Select(p => p.ParameterType));
    }

    private static Node Node() => new(7, NodeKind.LayerNorm, A: 1, Param: 2, Param2: 3);
}
