using RnnGen.Generators.Tests.Infrastructure;

namespace RnnGen.Generators.Tests;

/// <summary>
/// The planner's choice between the step loop and linear scans (Planning/LinearRecurrence), as the generated file
/// states it: a "Plan:" comment under the step, and the kind and reason the runtime plan is created with.
/// </summary>
public sealed class LinearPlanTests
{
    private const string Usings = "using RnnGen;\nusing static RnnGen.Ops;\n\n";

    private static string Emit(string cell, string declaration)
    {
        var run = CellCompiler.Run(Usings + declaration).ShouldSucceed();
        return run.Sources.Single(s => s.Text.Contains($"partial class {cell} : __RnnGen.IRecurrentCell", StringComparison.Ordinal)).Text;
    }

    private static string PlanLine(string text) =>
        text.Split('\n').Single(l => l.TrimStart().StartsWith("// Plan:", StringComparison.Ordinal)).Trim();

    [Fact]
    public void A_cell_linear_in_its_state_is_planned_as_a_scan_with_its_coefficients_named()
    {
        string text = Emit("MinGru", """
            [RecurrentCell]
            public partial class MinGru
            {
                Weight Wz, Wh;
                Bias bz, bh;
                Vec Step(Vec x, Vec h)
                {
                    var z = Sigmoid(Wz * x + bz);
                    var candidate = Wh * x + bh;
                    return (1 - z) * h + z * candidate;
                }
            }
            """);
        Assert.StartsWith("// Plan: linear scans, no step loop", PlanLine(text));
        Assert.Contains("//   h: a = 1 - z, b = z * candidate", text);
        Assert.Contains("kind: __Recurrence.RecurrenceKind.LinearScan", text);
        Assert.Contains("public static void LinearCoefficients<T, TV>", text);
    }

    [Theory]
    [InlineData("Weight W; Bias b;", "Sigmoid(h) * h + Tanh(W * x + b)", "a value that reads state h is multiplied by one that reads state h, in Sigmoid(h) * h")]
    [InlineData("Weight W; Bias b;", "Tanh(W * x + b + h)", "state h is read inside Tanh, in Tanh(W * x + b + h)")]
    [InlineData("Weight W, U; Bias b;", "Tanh(W * x + b) + U * h", "state h goes through a product by a weight, U * h, in every step")]
    [InlineData("Weight W, U; Bias b;", "Sigmoid(W * x) * h + U * Tanh(W * x + b)", "the step multiplies a value it computes by a weight (U * Tanh(W * x + b)), a product in every step")]
    [InlineData("Weight W; Bias g, b;", "LayerNorm(W * x, g, b) * h", "a LayerNorm's row statistics split the step's fused pass")]
    public void A_cell_that_reads_its_state_other_than_linearly_keeps_the_step_loop_and_says_why(string fields, string body, string reason)
    {
        string text = Emit("Loop", $$"""
            [RecurrentCell]
            public partial class Loop
            {
                {{fields}}
                Vec Step(Vec x, Vec h) => {{body}};
            }
            """);
        Assert.Equal($"// Plan: a step loop, because {reason}.", PlanLine(text));
        Assert.Contains("kind: __Recurrence.RecurrenceKind.StepLoop", text);
        Assert.DoesNotContain("LinearCoefficients", text);
    }

    [Fact]
    public void A_state_that_reads_only_a_scans_new_value_is_computed_after_the_scans()
    {
        string text = Emit("Qrnn", """
            [RecurrentCell]
            public partial class Qrnn
            {
                Weight Wz, Wf, Wo;
                (Vec h, Vec c) Step(Vec x, Vec h, Vec c)
                {
                    var f = Sigmoid(Wf * x);
                    var cNext = f * c + (1 - f) * Tanh(Wz * x);
                    return (Sigmoid(Wo * x) * cNext, cNext);
                }
            }
            """);
        Assert.StartsWith("// Plan: linear scans, no step loop: the next value of c is a ⊙ state + b", PlanLine(text));
        Assert.Contains("//   h: computed after the scans, from their new values", text);
        Assert.Contains("outputStates: [0],", text);
        Assert.Contains("public static void LinearOutputs<T, TV>", text);
        Assert.Contains("public static void LinearOutputAdjoints<T, TV>", text);
    }

    [Theory]
    [InlineData("(decay * h + m, decay * m + Tanh(W * x))", "state m is read by the update of state h")]  // h reads m and its own old value
    [InlineData("(h * m, decay * m + Tanh(W * x))", "a value that reads state h is multiplied by one that reads state m, in h * m")]
    public void A_state_read_by_another_update_keeps_the_step_loop(string body, string reason)
    {
        string text = Emit("Pair", $$"""
            [RecurrentCell]
            public partial class Pair
            {
                Weight W;
                Bias decay;
                (Vec h, Vec m) Step(Vec x, Vec h, Vec m) => {{body}};
            }
            """);
        Assert.Equal($"// Plan: a step loop, because {reason}.", PlanLine(text));
    }

    [Fact]
    public void LinearPath_false_forces_the_step_loop()
    {
        string text = Emit("Forced", """
            [RecurrentCell(LinearPath = false)]
            public partial class Forced
            {
                Weight W;
                Bias decay;
                Vec Step(Vec x, Vec h) => decay * h + Tanh(W * x);
            }
            """);
        Assert.Equal("// Plan: a step loop, because [RecurrentCell(LinearPath = false)] asks for it.", PlanLine(text));
    }

    [Fact]
    public void A_LinearPath_that_is_not_a_constant_is_the_compilers_error_and_the_generator_still_plans_the_cell()
    {
        var run = CellCompiler.Run(Usings + """
            public static class Settings { public static bool Linear = true; }

            [RecurrentCell(LinearPath = Settings.Linear)]
            public partial class Configured
            {
                Weight W;
                Bias decay;
                Vec Step(Vec x, Vec h) => decay * h + Tanh(W * x);
            }
            """);
        Assert.Null(run.Result.Exception);
        Assert.Empty(run.GeneratorDiagnostics);
        Assert.Contains(run.Errors, d => d.Id == "CS0182"); // an attribute argument must be a constant
        Assert.Contains(run.Sources, s => s.Text.Contains("// Plan: linear scans", StringComparison.Ordinal));
    }
}
