using RnnGen.Generators.Analysis;
using RnnGen.Generators.Diagnostics;
using RnnGen.Generators.Model;

namespace RnnGen.Generators.Tests.Analysis;

/// <summary>The shape checker on IR built by hand: the sizes it infers, what it records on parameters, what it rejects.</summary>
public sealed class ShapeCheckerTests
{
    private static StageResult<CellModel> Check(CellModel cell) =>
        ShapeChecker.Check(new StageResult<CellModel>(cell, EquatableArray<DiagnosticInfo>.Empty));

    private static string[] Ids(StageResult<CellModel> result) => result.Diagnostics.Select(d => d.Descriptor.Id).ToArray();

    [Fact]
    public void A_weight_takes_the_size_of_what_it_multiplies_and_a_bias_is_one_column()
    {
        var ir = new Ir();
        int w = ir.Weight("W"), u = ir.Weight("U"), b = ir.BiasField("b");
        int x = ir.Input(), h = ir.State();
        ir.Output(ir.Op(NodeKind.Tanh, ir.Op(NodeKind.Add, ir.Op(NodeKind.Add, ir.MatVec(w, x), ir.MatVec(u, h)), ir.Bias(b))));

        var result = Check(ir.Build());

        Assert.Empty(result.Diagnostics);
        var parameters = result.Value!.Parameters;
        Assert.Equal(new[] { Size.Input, Size.Hidden, Size.Scalar }, parameters.Select(p => p.Columns));
    }

    [Fact]
    public void A_weight_times_a_number_is_a_shape_mismatch()
    {
        var ir = new Ir();
        int w = ir.Weight("W");
        ir.State();
        ir.Output(ir.Op(NodeKind.Tanh, ir.MatVec(w, ir.Constant(2))));

        var result = Check(ir.Build());

        Assert.Null(result.Value);
        Assert.Equal(DiagnosticDescriptors.ShapeMismatch.Id, Ids(result)[0]);
        Assert.Equal(new[] { "matrix", "scalar" }, result.Diagnostics[0].Arguments.Skip(1));
    }

    [Fact]
    public void A_scalar_broadcasts_against_a_vector()
    {
        var ir = new Ir();
        int h = ir.State();
        int scaled = ir.Op(NodeKind.Multiply, ir.Constant(2), h);
        ir.Output(ir.Op(NodeKind.Subtract, scaled, ir.Constant(1)));

        Assert.Empty(Check(ir.Build()).Diagnostics);
    }

    [Fact]
    public void One_weight_applied_to_the_input_and_to_a_state_is_rejected()
    {
        var ir = new Ir();
        int w = ir.Weight("W");
        ir.Output(ir.Op(NodeKind.Add, ir.MatVec(w, ir.Input()), ir.MatVec(w, ir.State())));

        var result = Check(ir.Build());

        Assert.Null(result.Value);
        Assert.Equal(new[] { DiagnosticDescriptors.WeightUsedWithTwoSizes.Id }, Ids(result));
        Assert.Equal(new[] { "W", "hidden", "input" }, result.Diagnostics[0].Arguments);
    }

    [Fact]
    public void Returning_a_scalar_as_the_next_state_is_rejected()
    {
        var ir = new Ir();
        ir.Input();
        ir.State();
        ir.Output(ir.Constant(3));

        var result = Check(ir.Build());

        Assert.Null(result.Value);
        Assert.Equal(new[] { DiagnosticDescriptors.ReturnedStateWrongSize.Id }, Ids(result));
        Assert.Equal("scalar", result.Diagnostics[0].Arguments[1]);
    }

    [Fact]
    public void The_input_read_elementwise_is_hidden_sized_and_the_cell_says_where_for_the_size_check()
    {
        var ir = new Ir();
        int w = ir.Weight("W");
        int x = ir.Input(), h = ir.State();
        int highway = ir.Op(NodeKind.Multiply, ir.Op(NodeKind.Subtract, ir.Constant(1), h), x);
        ir.Output(ir.Op(NodeKind.Add, ir.Op(NodeKind.Tanh, ir.MatVec(w, h)), highway));

        var result = Check(ir.Build());

        Assert.Empty(result.Diagnostics);
        Assert.Equal("'(1 - h) * x'", result.Value!.InputElementwise);
    }

    [Fact]
    public void A_cell_that_reads_its_input_only_through_weights_needs_no_size_check()
    {
        var ir = new Ir();
        int w = ir.Weight("W"), u = ir.Weight("U");
        ir.Output(ir.Op(NodeKind.Tanh, ir.Op(NodeKind.Add, ir.MatVec(w, ir.Input()), ir.MatVec(u, ir.State()))));

        Assert.Null(Check(ir.Build()).Value!.InputElementwise);
    }

    [Fact]
    public void The_input_returned_as_a_state_added_for_Prev_is_named_as_Prev()
    {
        var ir = new Ir(states: 2);
        int u = ir.Weight("U");
        int x = ir.Input(), h = ir.State(), previous = ir.State(1);
        ir.Output(ir.Op(NodeKind.Tanh, ir.Op(NodeKind.Add, ir.MatVec(u, h), previous)));
        ir.Output(x, 1);

        var result = Check(ir.Build() with { PrevStates = 1 });

        Assert.Empty(result.Diagnostics);
        Assert.Equal("Prev(x)", result.Value!.InputElementwise);
    }

    [Fact]
    public void A_LayerNorm_marks_its_gain_and_bias_for_their_initial_values()
    {
        var ir = new Ir();
        int u = ir.Weight("U"), g = ir.BiasField("g"), beta = ir.BiasField("beta");
        ir.Output(ir.LayerNorm(ir.MatVec(u, ir.State()), g, beta));

        var parameters = Check(ir.Build()).Value!.Parameters;

        Assert.Equal(new[] { false, true, false }, parameters.Select(p => p.IsGain));
        Assert.Equal(new[] { false, false, true }, parameters.Select(p => p.IsNormBias));
    }

    [Fact]
    public void An_unused_parameter_is_a_warning_and_the_cell_goes_on()
    {
        var ir = new Ir();
        int u = ir.Weight("U");
        ir.BiasField("spare");
        ir.Output(ir.Op(NodeKind.Tanh, ir.MatVec(u, ir.State())));

        var result = Check(ir.Build());

        Assert.NotNull(result.Value);
        Assert.Equal(new[] { DiagnosticDescriptors.UnusedParameter.Id }, Ids(result));
        Assert.Equal(new[] { "spare" }, result.Diagnostics[0].Arguments);
    }

    [Fact]
    public void A_pack_of_weights_of_two_sizes_is_rejected()
    {
        var ir = new Ir();
        int w = ir.Weight("W", pack: "gates"), u = ir.Weight("U", pack: "gates");
        ir.Output(ir.Op(NodeKind.Add, ir.MatVec(w, ir.Input()), ir.MatVec(u, ir.State())));

        var result = Check(ir.Build());

        Assert.Null(result.Value);
        Assert.Equal(new[] { DiagnosticDescriptors.InvalidPack.Id }, Ids(result));
        Assert.Equal("gates", result.Diagnostics[0].Arguments[0]);
    }

    [Fact]
    public void A_weight_times_a_bias_is_rejected()
    {
        var ir = new Ir();
        int w = ir.Weight("W"), b = ir.BiasField("b");
        ir.Output(ir.Op(NodeKind.Add, ir.MatVec(w, ir.Bias(b)), ir.State()));

        var result = Check(ir.Build());

        Assert.Null(result.Value);
        Assert.Equal(new[] { DiagnosticDescriptors.UnsupportedExpression.Id }, Ids(result));
    }
}
