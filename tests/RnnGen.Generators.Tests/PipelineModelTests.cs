using System.Reflection;
using Microsoft.CodeAnalysis;
using RnnGen.Generators.Tests.Infrastructure;

namespace RnnGen.Generators.Tests;

/// <summary>
/// The values that flow between stages are plain data: no object reachable from them is a symbol,
/// syntax, semantic model or compilation, any of which would pin a compilation in memory and defeat caching.
/// </summary>
public sealed class PipelineModelTests
{
    private static readonly Type[] Forbidden =
        { typeof(ISymbol), typeof(SyntaxNode), typeof(SyntaxTree), typeof(SemanticModel), typeof(Compilation) };

    [Fact]
    public void No_pipeline_value_holds_a_symbol_syntax_semantic_model_or_compilation()
    {
        string testCells = RepositoryPaths.ReadAllText("tests", "RnnGen.Tests", "Cells", "TestCells.cs");
        var run = CellCompiler.Run(
            testCells,
            """
            using RnnGen;
            using static RnnGen.Ops;

            [RecurrentCell]
            internal partial class WithWarning
            {
                Weight W, U;
                Bias b, spare;
                Vec Step(Vec x, Vec h) => Tanh(W * x + U * h + b);
            }

            [RecurrentCell]
            internal partial class WithError
            {
                Weight W;
                Vec Step(Vec x, Vec h) => Tanh(W * x + W * h);
            }
            """);

        int values = 0;
        foreach (string step in PipelineSteps.CellSteps)
        {
            foreach (var output in PipelineSteps.Outputs(run, step))
            {
                values++;
                Assert.Null(FindForbidden(output.Value));
            }
        }
        // Five steps, the cells of TestCells.cs and the two above: the walk above really saw the values.
        int cells = System.Text.RegularExpressions.Regex.Matches(testCells, @"^\[RecurrentCell[\]\(]", System.Text.RegularExpressions.RegexOptions.Multiline).Count + 2;
        Assert.True(cells >= 8);
        Assert.Equal(5 * cells, values);
    }

    [Fact]
    public void The_walk_finds_a_syntax_tree_hidden_inside_a_value()
    {
        var tree = CellCompiler.Tree("class C { }", "C.cs");
        var value = new { Name = "cell", Inner = new object[] { 1, new List<object> { tree.GetLocation(default) } } };

        Assert.NotNull(FindForbidden(value));
    }

    /// <summary>Walks every field of every object reachable from <paramref name="root"/>; returns the path to a forbidden object, or null.</summary>
    private static string? FindForbidden(object root)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(object Value, string Path)>();
        pending.Push((root, root.GetType().Name));
        while (pending.Count > 0)
        {
            var (value, path) = pending.Pop();
            var type = value.GetType();
            if (Forbidden.Any(f => f.IsAssignableFrom(type))) return path + " : " + type.FullName;
            if (type.IsPrimitive || type.IsEnum || value is string or decimal || value is Type or MemberInfo || type.IsPointer) continue;
            if (!type.IsValueType && !seen.Add(value)) continue;
            if (value is Array array)
            {
                int i = 0;
                foreach (var item in array)
                {
                    if (item is not null) pending.Push((item, $"{path}[{i}]"));
                    i++;
                }
                continue;
            }
            for (var t = type; t is not null; t = t.BaseType)
            {
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if (field.FieldType.IsPointer || field.FieldType.IsByRefLike) continue;
                    if (field.GetValue(value) is { } child) pending.Push((child, path + "." + field.Name));
                }
            }
        }
        return null;
    }
}
