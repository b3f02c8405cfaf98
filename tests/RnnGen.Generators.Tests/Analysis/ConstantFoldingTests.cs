using RnnGen.Generators.Model;
using RnnGen.Generators.Tests.Infrastructure;

namespace RnnGen.Generators.Tests.Analysis;

/// <summary>Constant folding, from the operation table, seen on the IR the parser hands on: tiny cells parsed once each.</summary>
public sealed class ConstantFoldingTests
{
    private static CellModel Parse(string step)
    {
        var run = CellCompiler.Run($$"""
            using RnnGen;
            using static RnnGen.Ops;

            [RecurrentCell]
            internal partial class Folded
            {
                Weight U;
                Vec Step(Vec x, Vec h) => {{step}};
            }
            """);
        var parsed = PipelineSteps.Outputs(run, TrackingNames.Parse).Select(o => (StageResult<CellModel>)o.Value).Single();
        return parsed.Value ?? throw new InvalidOperationException(string.Join("; ", parsed.Diagnostics));
    }

    // The operand of the elementwise node of this kind that is a constant, and the other.
    private static (double Constant, Node Other) ConstantOperand(CellModel cell, NodeKind kind)
    {
        var node = Assert.Single(cell.Nodes, n => n.Kind == kind);
        var (a, b) = (cell.Nodes[node.A], cell.Nodes[node.B]);
        return a.Kind == NodeKind.Constant ? (a.Value, b) : (b.Value, a);
    }

    [Fact]
    public void Arithmetic_on_numbers_is_folded_into_one_constant()
    {
        var cell = Parse("Tanh(U * h) * (2 * 3 - 0.5 + -1)");

        var (constant, other) = ConstantOperand(cell, NodeKind.Multiply);

        Assert.Equal(4.5, constant);
        Assert.Equal(NodeKind.Tanh, other.Kind);
        Assert.DoesNotContain(cell.Nodes, n => n.Kind is NodeKind.Add or NodeKind.Subtract or NodeKind.Negate);
    }

    [Fact]
    public void A_vector_operand_stops_folding()
    {
        var cell = Parse("Sigmoid(U * h) - -(U * h)");

        Assert.Single(cell.Nodes, n => n.Kind == NodeKind.Negate);
        Assert.Single(cell.Nodes, n => n.Kind == NodeKind.Subtract);
        Assert.Single(cell.Nodes, n => n.Kind == NodeKind.MatVec); // U * h written twice is one product
    }
}
