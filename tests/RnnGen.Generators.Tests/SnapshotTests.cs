using RnnGen.Generators.Tests.Infrastructure;

namespace RnnGen.Generators.Tests;

/// <summary>
/// The emitted code of the built-in cells and of two custom test cells, compared with the committed
/// Snapshots/*.verified.cs files. The declarations are read from the repository at test time, so a
/// change to a cell or to the emitter shows up here as a diff.
/// </summary>
public sealed class SnapshotTests
{
    [Theory]
    [InlineData("SimpleRnn")]
    [InlineData("Gru")]
    [InlineData("Lstm")]
    public void The_emitted_code_of_a_built_in_cell_matches_its_snapshot(string cell)
    {
        string source = RepositoryPaths.ReadAllText("src", "RnnGen", "Cells", cell + ".cs");
        // RnnGen.dll already holds the generated built-in cells, so compiling their declarations again
        // (under another assembly name) redeclares RnnGen.Cells: CS0436 says the source wins, as intended.
        // CS1591: the runtime documents its cells' members through IRecurrentCell and does not warn on them.
        var run = CellCompiler.Run(CellCompiler.Compile(new[] { source }, assemblyName: "RnnGen.BuiltInSnapshots"))
            .ShouldSucceed("CS0436", "CS1591");

        Snapshot.Verify(cell, run.Source($"RnnGen.Cells.{cell}.g.cs").Text);
    }

    [Theory]
    [InlineData("Mgu")]
    [InlineData("NormCell")]
    public void The_emitted_code_of_a_test_cell_matches_its_snapshot(string cell)
    {
        string source = RepositoryPaths.ReadAllText("tests", "RnnGen.Tests", "Cells", "TestCells.cs");
        var run = CellCompiler.Run(source).ShouldSucceed();

        Snapshot.Verify(cell, run.Source($"RnnGen.Tests.Cells.{cell}.g.cs").Text);
    }
}
