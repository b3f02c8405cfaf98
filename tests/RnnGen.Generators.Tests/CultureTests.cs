using System.Globalization;
using RnnGen.Generators.Tests.Infrastructure;

namespace RnnGen.Generators.Tests;

/// <summary>Generated code does not depend on the culture of the machine that builds it: literals are invariant.</summary>
public sealed class CultureTests
{
    private const string Constants = """
        using RnnGen;
        using static RnnGen.Ops;

        [RecurrentCell]
        internal partial class Damped
        {
            Weight W, U;
            Bias b;

            Vec Step(Vec x, Vec h)
            {
                var a = Tanh(W * x + U * h + b - 0.25f);
                return -0.5f * h + 1.5e-3f * a + 1.5f * Sigmoid(-2.5f * a);
            }
        }
        """;

    [Fact]
    public void Negative_and_fractional_constants_are_emitted_as_invariant_literals_under_a_culture_with_a_unicode_minus()
    {
        using var _ = new CultureScope(CultureScope.MinusSignCulture());
        Assert.Equal("\u22121,5", (-1.5).ToString(CultureInfo.CurrentCulture)); // the culture really is in force

        var run = CellCompiler.Run(Constants).ShouldSucceed();
        string text = run.Source("Damped.g.cs").Text;

        Assert.DoesNotContain("\u2212", text);
        Assert.Contains("TV.Constant(-0.5)", text);
        Assert.Contains("TV.Constant(-2.5)", text);
        Assert.Contains("TV.Constant(1.5)", text);
        Assert.Contains("TV.Constant(" + ((double)1.5e-3f).ToString("R", CultureInfo.InvariantCulture) + ")", text);
        Assert.DoesNotContain("0,5", text);
    }

    [Fact]
    public void A_cell_generates_the_same_code_under_a_culture_with_a_unicode_minus_as_under_the_invariant_culture()
    {
        string invariant;
        using (new CultureScope(CultureInfo.InvariantCulture))
            invariant = CellCompiler.Run(Constants).ShouldSucceed().Source("Damped.g.cs").Text;

        using var _ = new CultureScope(CultureScope.MinusSignCulture());
        Assert.Equal(invariant, CellCompiler.Run(Constants).ShouldSucceed().Source("Damped.g.cs").Text);
    }

    [Theory]
    [InlineData("Mgu")]
    [InlineData("NormCell")]
    public void The_test_cell_snapshots_hold_under_a_culture_with_a_unicode_minus(string cell)
    {
        using var _ = new CultureScope(CultureScope.MinusSignCulture());
        var run = CellCompiler.Run(RepositoryPaths.ReadAllText("tests", "RnnGen.Tests", "Cells", "TestCells.cs")).ShouldSucceed();

        Snapshot.Verify(cell, run.Source($"RnnGen.Tests.Cells.{cell}.g.cs").Text);
    }

    [Fact]
    public void Diagnostic_messages_are_reported_under_a_culture_with_a_unicode_minus()
    {
        using var _ = new CultureScope(CultureScope.MinusSignCulture());
        var run = CellCompiler.Run("""
            using RnnGen;
            using static RnnGen.Ops;

            [RecurrentCell]
            internal partial class Shared
            {
                Weight W;
                Vec Step(Vec x, Vec h) => Tanh(W * x + W * (-0.5f * h));
            }
            """);

        Assert.Equal("RNNG008", Assert.Single(run.GeneratorDiagnostics).Id);
    }
}
