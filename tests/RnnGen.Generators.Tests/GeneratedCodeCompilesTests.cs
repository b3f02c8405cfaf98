using Microsoft.CodeAnalysis;
using RnnGen.Generators.Tests.Infrastructure;

namespace RnnGen.Generators.Tests;

/// <summary>A valid cell declaration and the code generated for it compile without a single warning.</summary>
public sealed class GeneratedCodeCompilesTests
{
    [Fact]
    public void A_public_documented_cell_and_its_generated_code_compile_without_warnings()
    {
        var run = CellCompiler.Run("""
            using RnnGen;
            using static RnnGen.Ops;

            namespace Sample;

            /// <summary>The minimal gated unit.</summary>
            [RecurrentCell]
            public partial class Mgu
            {
                Weight Wf, Wh;
                Weight Uf, Uh;
                Bias bf, bh;

                Vec Step(Vec x, Vec h)
                {
                    var f = Sigmoid(Wf * x + Uf * h + bf);
                    var candidate = Tanh(Wh * x + Uh * (f * h) + bh);
                    return (1 - f) * h + f * candidate;
                }
            }
            """).ShouldSucceed();

        Assert.Equal(["Sample.Mgu.g.cs", "Sample.Mgu.Onnx.g.cs"], run.Sources.Select(s => s.HintName).Order());
    }

    [Fact]
    public void A_state_added_for_Prev_takes_a_name_no_declared_state_has()
    {
        // The declared state is called xPrev, the name Prev(x)'s state would take, and W * Prev(x)'s would be W_xPrev.
        var run = CellCompiler.Run("""
            using RnnGen;
            using static RnnGen.Ops;

            [RecurrentCell]
            public partial class Clash
            {
                Weight W, U;
                (Vec xPrev, Vec W_xPrev) Step(Vec x, Vec xPrev, Vec W_xPrev) =>
                    (Tanh(U * xPrev + Prev(x) + W * Prev(x)), xPrev + W_xPrev);
            }
            """).ShouldSucceed();

        string text = run.Source("Clash.g.cs").Text;
        Assert.Contains("states [xPrev, W_xPrev, xPrev2, W_xPrev2] each [batch, hidden]", text);
    }

    [Fact]
    public void Unassigned_dsl_fields_raise_no_never_assigned_or_unused_field_warnings()
    {
        var run = CellCompiler.Run("""
            using RnnGen;
            using static RnnGen.Ops;

            internal partial class Plain
            {
                [RecurrentCell]
                internal partial class Inner
                {
                    Weight W, U;
                    Bias b;
                    Vec Step(Vec x, Vec h) => Tanh(W * x + U * h + b);
                }
            }
            """).ShouldSucceed();

        Assert.DoesNotContain(run.OutputDiagnostics, d => d.Id is "CS0649" or "CS0169" or "CS0414");
        // The same declaration without the generator does raise them, so the check above can fail.
        Assert.Contains(run.Input.GetDiagnostics(), d => d.Id is "CS0649" or "CS0169");
    }

    [Fact]
    public void A_two_state_cell_in_the_global_namespace_compiles_without_warnings()
    {
        CellCompiler.Run("""
            using RnnGen;
            using static RnnGen.Ops;

            [RecurrentCell]
            internal partial class Peephole
            {
                Weight Wi, Wf, Wg, Wo, Ui, Uf, Ug, Uo;
                Bias bi, bf, bg, bo, pi;

                (Vec h, Vec c) Step(Vec x, Vec h, Vec c)
                {
                    var i = Sigmoid(Wi * x + Ui * h + pi * c + bi);
                    var f = Sigmoid(Wf * x + Uf * h + bf);
                    var g = Tanh(Wg * x + Ug * h + bg);
                    var o = Sigmoid(Wo * x + Uo * h + bo);
                    var cNext = f * c + i * g;
                    return (o * Tanh(cNext), cNext);
                }
            }
            """).ShouldSucceed();
    }

    [Fact]
    public void A_cell_with_an_unused_parameter_gets_only_RNNG010_and_no_assigned_but_never_used_warning()
    {
        // Regression: the generated constructor assigned every DSL field, so an unused one raised CS0414 beside RNNG010.
        var run = CellCompiler.Run("""
            using RnnGen;
            using static RnnGen.Ops;

            [RecurrentCell]
            internal partial class Spare
            {
                Weight W, U, unusedWeight;
                Bias b, unusedBias;
                Vec Step(Vec x, Vec h) => Tanh(W * x + U * h + b);
            }
            """).ShouldSucceed(allowedIds: "RNNG010");

        Assert.Equal(new[] { "RNNG010", "RNNG010" }, run.GeneratorDiagnostics.Select(d => d.Id));
        Assert.DoesNotContain(run.OutputDiagnostics, d => d.Id is "CS0414" or "CS0649" or "CS0169");
    }

    /// <summary>
    /// Regression (issue 10, item 7): a step with no product of a weight by a state, here only an elementwise
    /// gate on it, emitted the packing flag and fields it never used (CS0169), so a project with warnings as
    /// errors did not build.
    /// </summary>
    [Theory]
    [InlineData("Vec Step(Vec x, Vec h) => Relu(W * x + u * h + b);")]
    [InlineData("Vec Step(Vec x, Vec h) => Tanh(W * x + b);")]
    [InlineData("(Vec h, Vec c) Step(Vec x, Vec h, Vec c) => (Tanh(W * x + u * c), u * h + b);")]
    public void A_cell_without_a_product_by_a_state_builds_with_warnings_as_errors(string step)
    {
        var run = CellCompiler.Run($$"""
            using RnnGen;
            using static RnnGen.Ops;

            [RecurrentCell]
            internal partial class NoRecurrentProduct
            {
                Weight W;
                Bias u, b;
                {{step}}
            }
            """).ShouldSucceed(allowedIds: "RNNG010");

        var strict = run.Output.WithOptions(run.Output.Options.WithGeneralDiagnosticOption(ReportDiagnostic.Error));
        var errors = strict.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, "with warnings as errors:\n" + string.Join("\n", errors.Select(GeneratorRun.Describe)));
    }
}
