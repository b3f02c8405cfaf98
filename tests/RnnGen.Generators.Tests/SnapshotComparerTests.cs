using RnnGen.Generators.Tests.Infrastructure;

namespace RnnGen.Generators.Tests;

/// <summary>The snapshot comparer itself: it must be able to fail, and say where.</summary>
public sealed class SnapshotComparerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rnngen-snapshots-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void A_mismatch_fails_at_the_first_differing_line_and_writes_the_received_file()
    {
        if (Environment.GetEnvironmentVariable(Snapshot.AcceptVariable) == "1") return; // accepting: nothing can fail
        File.WriteAllText(Path.Combine(_directory, "Cell.verified.cs"), "line one\r\nline two\r\nline three\r\n");

        var e = Assert.ThrowsAny<Exception>(() => Snapshot.Verify(_directory, "Cell", "line one\nline 2\nline three\n"));

        Assert.Contains("line 2:", e.Message);
        Assert.Contains("expected: line two", e.Message);
        Assert.Contains("actual:   line 2", e.Message);
        Assert.Equal("line one\nline 2\nline three\n", File.ReadAllText(Path.Combine(_directory, "Cell.received.cs")));
    }

    [Fact]
    public void Line_endings_do_not_count_as_a_difference_and_a_match_removes_a_stale_received_file()
    {
        File.WriteAllText(Path.Combine(_directory, "Cell.verified.cs"), "a\r\nb\r\n");
        File.WriteAllText(Path.Combine(_directory, "Cell.received.cs"), "stale");

        Snapshot.Verify(_directory, "Cell", "a\nb\n");

        Assert.False(File.Exists(Path.Combine(_directory, "Cell.received.cs")));
    }

    [Fact]
    public void A_missing_snapshot_fails()
    {
        if (Environment.GetEnvironmentVariable(Snapshot.AcceptVariable) == "1") return;

        Assert.ThrowsAny<Exception>(() => Snapshot.Verify(_directory, "Missing", "text"));
        Assert.True(File.Exists(Path.Combine(_directory, "Missing.received.cs")));
    }
}
