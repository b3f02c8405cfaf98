namespace RnnGen.Generators.Tests.Infrastructure;

/// <summary>Paths in the repository, found from the test's output folder by walking up to RnnGen.sln.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "RnnGen.sln"))) return dir.FullName;
        throw new InvalidOperationException("RnnGen.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => RootPath.Value;

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string ReadAllText(params string[] parts) => File.ReadAllText(Combine(parts));

    public static string TestProject => Combine("tests", "RnnGen.Generators.Tests");
}
