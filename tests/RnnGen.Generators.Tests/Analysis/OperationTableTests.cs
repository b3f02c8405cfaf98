using System.Reflection;
using RnnGen.Generators.Differentiation;
using RnnGen.Generators.Model;
using RnnGen.Generators.Operations;
using RnnGen.Kernels;

namespace RnnGen.Generators.Tests.Analysis;

/// <summary>
/// The operation table is complete and means what the runtime computes: every IR operation has an entry with its
/// derivative, its SIMD text and its ONNX form; the names it emits exist in the runtime; and every derivative agrees
/// with finite differences of the operation's own scalar meaning.
/// </summary>
public sealed class OperationTableTests
{
    // By name: the IR's types are internal, and a public test cannot take one as a parameter.
    public static TheoryData<string> Kinds => new(Enum.GetNames<NodeKind>());

    public static TheoryData<string> Elementwise =>
        new(OperationTable.All.Where(o => !o.IsLeaf && !o.TermOnly && o.Statistics.Length == 0 && o.Fold is not null).Select(o => o.Kind.ToString()));

    [Theory, MemberData(nameof(Kinds))]
    public void Every_operation_has_one_entry_covering_derivative_SIMD_text_and_ONNX_form(string name)
    {
        var kind = Enum.Parse<NodeKind>(name);
        var op = Assert.Single(OperationTable.All, o => o.Kind == kind);
        if (op.TermOnly)
        {
            Assert.NotNull(op.Simd); // all a function of derivative terms needs
            Assert.NotNull(op.Fold);
            return;
        }
        Assert.True(op.CellOp is not null || op.Onnx is not null, $"{kind} has no form in the step graph");
        if (op.IsLeaf) return; // read by the passes and the Scan from buffers and inputs, not computed by them
        Assert.True(op.Simd is not null ^ op.Forward is not null, $"{kind} needs exactly one of SIMD text and a forward term");
        Assert.NotNull(op.Onnx);
        for (int i = 0; i < op.Arity; i++)
            Assert.Single(op.Derivatives, d => d.Target == DerivativeTarget.Operand && d.Index == i);
        for (int i = 0; i < op.Parameters; i++)
            Assert.Single(op.Derivatives, d => d.Target == DerivativeTarget.Parameter && d.Index == i);
        Assert.Equal(op.Arity + op.Parameters, op.Derivatives.Length);
        Assert.Equal(op.Parameters, op.ParameterInit.Length);
        if (op.Syntax != Syntax.None) Assert.NotNull(op.DslName);
    }

    [Fact]
    public void Each_name_the_table_emits_exists_in_the_runtime()
    {
        var cellOps = Enum.GetNames<RnnGen.Onnx.CellOp>();
        var simd = typeof(ISimd<,>).GetMethods(BindingFlags.Public | BindingFlags.Static).Select(m => m.Name).ToHashSet();
        var ops = typeof(RnnGen.Ops).GetMethods(BindingFlags.Public | BindingFlags.Static);
        foreach (var op in OperationTable.All)
        {
            if (op.CellOp is not null) Assert.Contains(op.CellOp, cellOps);
            foreach (var text in new[] { op.Simd }.Concat(Terms(op).Select(t => t.Op is var k && t.Kind == TermKind.Apply ? OperationTable.Of(k).Simd : null)))
                foreach (var call in Calls(text))
                    Assert.True(simd.Contains(call), $"{op.Kind}: ISimd has no {call}");
            if (op.Syntax == Syntax.Call)
            {
                var method = Assert.Single(ops, m => m.Name == op.DslName);
                Assert.Equal(op.Arity + op.Parameters, method.GetParameters().Length);
            }
        }
    }

    [Fact]
    public void The_DSL_names_are_unique_per_way_of_writing()
    {
        var named = OperationTable.All.Where(o => o.DslName is not null).Select(o => (o.Syntax, o.DslName)).ToList();
        Assert.Equal(named.Count, named.Distinct().Count());
        Assert.Equal(NodeKind.Negate, OperationTable.Named("-", Syntax.Prefix)!.Kind);
        Assert.Equal(NodeKind.Subtract, OperationTable.Named("-", Syntax.Infix)!.Kind);
        Assert.Null(OperationTable.Named("%", Syntax.Infix)); // not part of the DSL
    }

    [Theory, MemberData(nameof(Elementwise))]
    public void Each_derivative_agrees_with_finite_differences_of_the_folded_operation(string name)
    {
        var op = OperationTable.Of(Enum.Parse<NodeKind>(name));
        // Points away from every kink (no ties for Max and Min, no zero for Abs); an operation defined only above zero
        // (Log, Sqrt) is checked at the points' magnitudes.
        double[] a = { -1.3, -0.4, 0.35, 0.9, 2.1 }, b = { 0.7, -1.1, 1.6, -0.25, 0.5 }, dy = { 0.3, -0.8, 1.2, 0.45, -0.6 };
        double F(double x, double y) => op.Fold!(x, y);
        if (a.Any(x => double.IsNaN(F(x, 1)))) a = a.Select(Math.Abs).ToArray();
        var evaluator = new TermEvaluator
        {
            Operands = new[] { a, b },
            Result = a.Select((x, j) => F(x, b[j])).ToArray(),
            Adjoint = dy,
        };
        foreach (var derivative in op.Derivatives)
        {
            for (int j = 0; j < a.Length; j++)
            {
                const double h = 1e-6;
                double numeric = derivative.Index == 0
                    ? (F(a[j] + h, b[j]) - F(a[j] - h, b[j])) / (2 * h)
                    : (F(a[j], b[j] + h) - F(a[j], b[j] - h)) / (2 * h);
                Assert.Equal(dy[j] * numeric, evaluator.At(derivative.Term, j), 6);
            }
        }
    }

    /// <summary>At a kink the derivative is a choice: Max and Min send a tie's whole adjoint to their first operand,
    /// and Abs has derivative 0 at 0 (as PyTorch does).</summary>
    [Theory]
    [InlineData("Max")]
    [InlineData("Min")]
    public void Max_and_Min_send_the_adjoint_of_a_tie_to_the_first_operand(string name)
    {
        var op = OperationTable.Of(Enum.Parse<NodeKind>(name));
        double[] a = { 0.5, -1.0, 0.5 }, b = { 0.5, -1.0, 0.25 }, dy = { 0.7, -0.3, 1.1 };
        var evaluator = new TermEvaluator { Operands = new[] { a, b }, Result = a.Select((x, j) => op.Fold!(x, b[j])).ToArray(), Adjoint = dy };
        var first = op.Derivatives.Single(d => d.Index == 0).Term;
        var second = op.Derivatives.Single(d => d.Index == 1).Term;
        for (int j = 0; j < 2; j++) // ties
        {
            Assert.Equal(dy[j], evaluator.At(first, j));
            Assert.Equal(0, evaluator.At(second, j));
        }
        // Not a tie: Max takes a = 0.5 over 0.25, Min takes b.
        Assert.Equal(name == "Max" ? dy[2] : 0, evaluator.At(first, 2));
        Assert.Equal(name == "Max" ? 0 : dy[2], evaluator.At(second, 2));
    }

    [Fact]
    public void Abs_has_derivative_zero_at_zero_and_the_sign_elsewhere()
    {
        var op = OperationTable.Of(NodeKind.Abs);
        double[] a = { 0.0, -0.0, 2.0, -3.0 }, dy = { 0.7, 0.7, 0.7, 0.7 };
        var evaluator = new TermEvaluator { Operands = new[] { a }, Result = a.Select(Math.Abs).ToArray(), Adjoint = dy };
        var term = op.Derivatives.Single().Term;
        Assert.Equal(new[] { 0, 0, 0.7, -0.7 }, Enumerable.Range(0, a.Length).Select(j => evaluator.At(term, j)));
    }

    [Fact]
    public void LayerNorms_row_statistics_are_what_the_runtime_kernels_compute()
    {
        var op = OperationTable.Of(NodeKind.LayerNorm);
        double[] v = { 0.5, -1.25, 2.0, 0.75, -0.3, 1.1 }, gain = { 1.2, 0.8, -0.5, 1.0, 0.3, 2.0 }, dy = { 0.4, -0.7, 0.2, 1.3, -0.9, 0.05 };
        RowNorm.Statistics<double>(v, out double mean, out double rstd);
        RowNorm.BackwardSums<double>(dy, gain, v, mean, rstd, out double m1, out double m2);
        var evaluator = Evaluator(v, gain, new double[v.Length], dy, mean, rstd, m1, m2);

        Assert.Equal(mean, evaluator.At(Definition(op, "Mean"), 0), 12);
        Assert.Equal(m1, evaluator.At(Definition(op, "M1"), 0), 12);
        Assert.Equal(m2, evaluator.At(Definition(op, "M2"), 0), 12);
        Assert.Null(op.Statistics.Single(s => s.Name == "Rstd").Definition); // the kernel's 1 / sqrt(var + 1e-5), checked below
        Assert.Equal(1 / Math.Sqrt(v.Average(x => (x - mean) * (x - mean)) + RowNorm.Epsilon), rstd, 12);
    }

    [Fact]
    public void LayerNorms_derivatives_agree_with_finite_differences_of_its_forward_term()
    {
        var op = OperationTable.Of(NodeKind.LayerNorm);
        double[] v = { 0.5, -1.25, 2.0, 0.75, -0.3, 1.1 }, gain = { 1.2, 0.8, -0.5, 1.0, 0.3, 2.0 }, bias = { 0.1, -0.2, 0.3, 0, 0.5, -0.1 };
        double[] dy = { 0.4, -0.7, 0.2, 1.3, -0.9, 0.05 };
        // The loss L = Σ dy · LayerNorm(v, gain, bias), whose gradient the derivatives must give.
        double Loss(double[] x, double[] g, double[] b)
        {
            RowNorm.Statistics<double>(x, out double mu, out double r);
            var e = Evaluator(x, g, b, dy, mu, r, 0, 0);
            return Enumerable.Range(0, x.Length).Sum(j => dy[j] * e.At(op.Forward!, j));
        }
        RowNorm.Statistics<double>(v, out double mean, out double rstd);
        RowNorm.BackwardSums<double>(dy, gain, v, mean, rstd, out double m1, out double m2);
        var evaluator = Evaluator(v, gain, bias, dy, mean, rstd, m1, m2);

        foreach (var derivative in op.Derivatives)
        {
            var row = derivative.Target == DerivativeTarget.Operand ? v : derivative.Index == 0 ? gain : bias;
            for (int j = 0; j < v.Length; j++)
            {
                const double h = 1e-6;
                double Shifted(double by)
                {
                    double keep = row[j];
                    row[j] += by;
                    double loss = Loss(v, gain, bias);
                    row[j] = keep;
                    return loss;
                }
                Assert.Equal((Shifted(h) - Shifted(-h)) / (2 * h), evaluator.At(derivative.Term, j), 5);
            }
        }
        // Only the input's derivative waits for the row means of the adjoint.
        Assert.Equal(new[] { false, false, true },
            op.Derivatives.Select(d => d.Term.Reads(t => t.Kind == TermKind.Statistic && t.Name is "M1" or "M2")));
    }

    private static TermEvaluator Evaluator(double[] v, double[] gain, double[] bias, double[] dy, double mean, double rstd, double m1, double m2) => new()
    {
        Operands = new[] { v },
        Parameters = new[] { gain, bias },
        Adjoint = dy,
        Statistics = new() { ["Mean"] = mean, ["Rstd"] = rstd, ["M1"] = m1, ["M2"] = m2 },
    };

    private static Term Definition(Operation op, string name) => op.Statistics.Single(s => s.Name == name).Definition!;

    private static IEnumerable<Term> Terms(Operation op)
    {
        IEnumerable<Term> Walk(Term t) => new[] { t }.Concat(t.A is null ? Enumerable.Empty<Term>() : Walk(t.A)).Concat(t.B is null ? Enumerable.Empty<Term>() : Walk(t.B));
        return op.Derivatives.SelectMany(d => Walk(d.Term)).Concat(op.Forward is null ? Enumerable.Empty<Term>() : Walk(op.Forward));
    }

    // The TV.Name( calls in a piece of SIMD text.
    private static IEnumerable<string> Calls(string? text) =>
        text is null ? Enumerable.Empty<string>()
            : System.Text.RegularExpressions.Regex.Matches(text, @"TV\.(\w+)\(").Select(m => m.Groups[1].Value);
}
