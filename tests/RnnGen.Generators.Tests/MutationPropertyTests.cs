using CsCheck;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using RnnGen.Generators.Tests.Infrastructure;

namespace RnnGen.Generators.Tests;

/// <summary>
/// Random token-level mutations of valid cell declarations. Whatever the mutation, the generator
/// never throws or reports an internal error, and every declaration is either accepted (and its
/// generated code compiles) or rejected with at least one error from the compiler or the generator.
/// </summary>
public sealed class MutationPropertyTests
{
    private const string Usings = "using RnnGen;\nusing static RnnGen.Ops;\n\n";

    private static readonly string[] Declarations =
    {
        """
        [RecurrentCell]
        public partial class GruLike
        {
            Weight Wr, Wz, Wn, Ur, Uz, Un;
            Bias br, bz, bn, bhn;
            Vec Step(Vec x, Vec h)
            {
                var r = Sigmoid(Wr * x + Ur * h + br);
                var z = Sigmoid(Wz * x + Uz * h + bz);
                var n = Tanh(Wn * x + bn + r * (Un * h + bhn));
                return (1 - z) * n + z * h;
            }
        }
        """,
        """
        [RecurrentCell]
        public partial class LstmLike
        {
            [Packed("weight_ih")] Weight Wi, Wf, Wg, Wo;
            [Packed("weight_hh")] Weight Ui, Uf, Ug, Uo;
            Bias bi, bf, bg, bo;
            (Vec h, Vec c) Step(Vec x, Vec h, Vec c)
            {
                var i = Sigmoid(Wi * x + Ui * h + bi);
                var f = Sigmoid(Wf * x + Uf * h + bf);
                var g = Tanh(Wg * x + Ug * h + bg);
                var o = Sigmoid(Wo * x + Uo * h + bo);
                var cNext = f * c + i * g;
                return (o * Tanh(cNext), cNext);
            }
        }
        """,
        """
        [RecurrentCell]
        public partial class Mgu
        {
            Weight Wf, Wh, Uf, Uh;
            Bias bf, bh;
            Vec Step(Vec x, Vec h)
            {
                var f = Sigmoid(Wf * x + Uf * h + bf);
                var candidate = Tanh(Wh * x + Uh * (f * h) + bh);
                return (1 - f) * h + f * candidate;
            }
        }
        """,
        """
        [RecurrentCell]
        public partial class Normed
        {
            Weight W, U, V;
            Bias gain, shift, gain2, shift2, b;
            Vec Step(Vec x, Vec h)
            {
                var pre = LayerNorm(W * x + U * h, gain, shift);
                var a = Tanh(pre + b) - 0.5f * Exp(-h * h);
                return LayerNorm(a * h + V * a, gain2, shift2);
            }
        }
        """,
    };

    private static readonly string[][] Tokens = Declarations
        .Select(d => SyntaxFactory.ParseTokens(d).Where(t => !t.IsKind(SyntaxKind.EndOfFileToken)).Select(t => t.Text).ToArray())
        .ToArray();

    private static readonly string[] Operators = { "+", "-", "*", "/" };
    private static readonly string[] Functions = { "Sigmoid", "Tanh", "Relu", "Exp", "LayerNorm", "Foo" };

    // One compilation holds the references; every case adds its own tree to it, so reference binding is shared.
    private static readonly Lazy<Compilation> Empty = new(() => CellCompiler.Compile(Array.Empty<string>(), "Mutants"));

    private enum MutationKind { Delete, Duplicate, Swap, Rename, ChangeOperator, ChangeFunction }

    private sealed record Mutation(MutationKind Kind, int A, int B);

    private sealed record Case(int Declaration, Mutation[] Mutations)
    {
        public string Source => Usings + string.Join(" ", Apply(Tokens[Declaration], Mutations));
        public override string ToString() => $"declaration {Declaration}, mutations [{string.Join(", ", Mutations.Select(m => m.ToString()))}]:\n{Source}";
    }

    private static readonly Gen<Case> Cases =
        Gen.Select(
            Gen.Int[0, Declarations.Length - 1],
            Gen.Select(Gen.Enum<MutationKind>(), Gen.Int[0, 100_000], Gen.Int[0, 100_000], (k, a, b) => new Mutation(k, a, b)).Array[1, 3],
            (d, m) => new Case(d, m));

    [Fact]
    public void Every_mutated_declaration_is_either_accepted_and_compiles_or_rejected_with_an_error()
    {
        Cases.Sample(Check, seed: "0RnnGenMutat", iter: 300, threads: 1, print: c => c.ToString());
    }

    [Fact]
    public void The_unmutated_declarations_are_accepted()
    {
        for (int i = 0; i < Declarations.Length; i++)
        {
            var run = CellCompiler.Run(Empty.Value.AddSyntaxTrees(CellCompiler.Tree(Usings + string.Join(" ", Tokens[i]), "Mutant.cs")));
            run.ShouldSucceed();
        }
    }

    private static void Check(Case c)
    {
        var input = Empty.Value.AddSyntaxTrees(CellCompiler.Tree(c.Source, "Mutant.cs"));
        var run = CellCompiler.Run(input);

        Assert.Null(run.Result.Exception);
        Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id == "RNNG011");

        var inputDiagnostics = input.GetDiagnostics();
        bool inputErrors = inputDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
        bool generatorErrors = run.GeneratorDiagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
        if (inputErrors || generatorErrors) return; // rejected, with a reason

        // Accepted: every [RecurrentCell] class got its code, and the code compiles without a new error or warning
        // (a warning that the declaration itself already raises, such as CS8981 on a lower-case class name, is not new).
        var generatedTrees = run.Output.SyntaxTrees.Except(input.SyntaxTrees).ToHashSet();
        var inGenerated = run.OutputDiagnostics
            .Where(d => d.Severity >= DiagnosticSeverity.Warning && generatedTrees.Contains(d.Location.SourceTree!))
            .Where(d => d.Severity == DiagnosticSeverity.Error || !inputDiagnostics.Any(i => i.Id == d.Id))
            .ToList();
        Assert.True(inGenerated.Count == 0, "the generated code of an accepted declaration does not compile cleanly:\n"
                                            + string.Join("\n", inGenerated.Select(GeneratorRun.Describe)));
        var outputErrors = run.OutputDiagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(outputErrors.Count == 0, "an accepted declaration fails to compile with its generated code:\n"
                                             + string.Join("\n", outputErrors.Select(GeneratorRun.Describe)));
        foreach (var cell in CellsIn(input))
            Assert.Contains(run.Sources, s => s.HintName == cell + ".g.cs");
    }

    private static IEnumerable<string> CellsIn(Compilation compilation)
    {
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var declaration in tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>())
            {
                if (model.GetDeclaredSymbol(declaration) is { } symbol
                    && symbol.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "RnnGen.RecurrentCellAttribute"))
                    yield return symbol.ToDisplayString();
            }
        }
    }

    private static List<string> Apply(string[] original, Mutation[] mutations)
    {
        var tokens = original.ToList();
        foreach (var m in mutations)
        {
            if (tokens.Count == 0) break;
            int i = m.A % tokens.Count, j = m.B % tokens.Count;
            switch (m.Kind)
            {
                case MutationKind.Delete:
                    tokens.RemoveAt(i);
                    break;
                case MutationKind.Duplicate:
                    tokens.Insert(i, tokens[i]);
                    break;
                case MutationKind.Swap:
                    (tokens[i], tokens[j]) = (tokens[j], tokens[i]);
                    break;
                case MutationKind.Rename:
                {
                    var identifiers = Indices(tokens, IsIdentifier);
                    if (identifiers.Count == 0) break;
                    var names = identifiers.Select(k => tokens[k]).Distinct().ToList();
                    int target = identifiers[m.A % identifiers.Count];
                    int choice = m.B % (names.Count + 1);
                    tokens[target] = choice == names.Count ? "fresh" + (m.B % 7) : names[choice];
                    break;
                }
                case MutationKind.ChangeOperator:
                {
                    var operators = Indices(tokens, t => Operators.Contains(t));
                    if (operators.Count == 0) break;
                    tokens[operators[m.A % operators.Count]] = Operators[m.B % Operators.Length];
                    break;
                }
                case MutationKind.ChangeFunction:
                {
                    var calls = Indices(tokens, t => Functions.Contains(t));
                    if (calls.Count == 0) break;
                    tokens[calls[m.A % calls.Count]] = Functions[m.B % Functions.Length];
                    break;
                }
            }
        }
        return tokens;
    }

    private static List<int> Indices(List<string> tokens, Func<string, bool> predicate) =>
        Enumerable.Range(0, tokens.Count).Where(k => predicate(tokens[k])).ToList();

    private static bool IsIdentifier(string token) =>
        SyntaxFacts.IsValidIdentifier(token) && SyntaxFacts.GetKeywordKind(token) == SyntaxKind.None;
}
