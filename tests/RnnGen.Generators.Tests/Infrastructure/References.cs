using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace RnnGen.Generators.Tests.Infrastructure;

/// <summary>
/// The metadata references of a test compilation: the assemblies of the running framework (from the
/// trusted platform assemblies that live beside System.Private.CoreLib) and the RnnGen runtime.
/// Loaded once, since reading ~170 assemblies is the costly part of building a compilation.
/// </summary>
internal static class References
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> Framework = new(LoadFramework);
    private static readonly Lazy<MetadataReference> Runtime = new(() => MetadataReference.CreateFromFile(typeof(RnnGen.Vec).Assembly.Location));

    /// <summary>The framework and RnnGen.dll.</summary>
    public static ImmutableArray<MetadataReference> WithRuntime => Framework.Value.Add(Runtime.Value);

    /// <summary>The framework only.</summary>
    public static ImmutableArray<MetadataReference> FrameworkOnly => Framework.Value;

    private static ImmutableArray<MetadataReference> LoadFramework()
    {
        string frameworkDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var paths = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator);
        return paths
            .Where(p => string.Equals(Path.GetDirectoryName(p), frameworkDirectory, StringComparison.Ordinal))
            .Where(p => Path.GetFileName(p) is var name && (name.StartsWith("System.", StringComparison.Ordinal)
                        || name is "System.dll" or "netstandard.dll" or "mscorlib.dll" or "Microsoft.Win32.Primitives.dll"))
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
    }
}
