namespace RnnGen.Generators.Tests.Infrastructure;

/// <summary>
/// A small snapshot comparer: the expected text lives in Snapshots/&lt;name&gt;.verified.cs. On a
/// mismatch the actual text goes to &lt;name&gt;.received.cs and the test fails at the first differing
/// line. With RNNGEN_ACCEPT_SNAPSHOTS=1 the verified file is overwritten instead.
/// </summary>
internal static class Snapshot
{
    public const string AcceptVariable = "RNNGEN_ACCEPT_SNAPSHOTS";

    public static void Verify(string name, string actual) => Verify(Path.Combine(RepositoryPaths.TestProject, "Snapshots"), name, actual);

    public static void Verify(string directory, string name, string actual)
    {
        actual = Normalize(actual);
        string verifiedPath = Path.Combine(directory, name + ".verified.cs");
        string receivedPath = Path.Combine(directory, name + ".received.cs");
        if (Environment.GetEnvironmentVariable(AcceptVariable) == "1")
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(verifiedPath, actual);
            File.Delete(receivedPath);
            return;
        }

        string? expected = File.Exists(verifiedPath) ? Normalize(File.ReadAllText(verifiedPath)) : null;
        if (expected == actual)
        {
            File.Delete(receivedPath);
            return;
        }
        File.WriteAllText(receivedPath, actual);
        if (expected is null)
            throw new Xunit.Sdk.XunitException($"No snapshot {verifiedPath}; the output is in {receivedPath}. Set {AcceptVariable}=1 to accept it.");
        throw new Xunit.Sdk.XunitException(FirstDifference(expected, actual) + $"\nThe output is in {receivedPath}; set {AcceptVariable}=1 to accept it.");
    }

    public static string Normalize(string text) => text.Replace("\r\n", "\n").Replace('\r', '\n');

    public static string FirstDifference(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        for (int i = 0; i < Math.Max(e.Length, a.Length); i++)
        {
            string? el = i < e.Length ? e[i] : null, al = i < a.Length ? a[i] : null;
            if (el != al)
                return $"Snapshot differs at line {i + 1}:\n  expected: {el ?? "<end of file>"}\n  actual:   {al ?? "<end of file>"}";
        }
        return "Snapshot differs only in length.";
    }
}
