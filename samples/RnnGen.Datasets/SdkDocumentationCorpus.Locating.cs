using System.Runtime.InteropServices;

namespace RnnGen.Datasets;

// Finding the SDK: the candidate dotnet roots (DOTNET_ROOT, the running runtime, dotnet on PATH, the usual
// install locations), the newest reference pack under them, and its documentation files.
public static partial class SdkDocumentationCorpus
{
    private const string PackName = "Microsoft.NETCore.App.Ref";

    /// <summary>
    /// The dotnet roots searched for the reference pack, in order of preference: <c>DOTNET_ROOT</c>, the root of
    /// the running runtime, the directory of <c>dotnet</c> found on <c>PATH</c> (symbolic links resolved), then
    /// the usual install locations. Duplicates are removed; directories need not exist.
    /// </summary>
    public static IReadOnlyList<string> CandidateDotnetRoots()
    {
        var roots = new List<string>();
        void Add(string? path)
        {
            if (string.IsNullOrWhiteSpace(path))
            {
                return;
            }
            string full;
            try
            {
                full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException or System.Security.SecurityException)
            {
                return;
            }
            if (!roots.Contains(full, OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal))
            {
                roots.Add(full);
            }
        }

        Add(Environment.GetEnvironmentVariable("DOTNET_ROOT"));
        Add(RootFromRuntimeDirectory());
        Add(RootFromPath());
        if (OperatingSystem.IsWindows())
        {
            Add(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.ProgramFiles), "dotnet"));
        }
        else
        {
            Add("/usr/share/dotnet");
            Add("/usr/lib/dotnet");
            Add("/usr/local/share/dotnet");
        }
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (!string.IsNullOrEmpty(home))
        {
            Add(Path.Combine(home, ".dotnet"));
        }
        return roots;
    }

    /// <summary>
    /// The documentation folder of the newest reference pack under the first candidate root that has one
    /// (see <see cref="CandidateDotnetRoots"/>), or <see langword="null"/> when none is found.
    /// </summary>
    public static string? FindReferencePackDirectory() => FindReferencePackDirectory(CandidateDotnetRoots());

    /// <summary>
    /// The documentation folder (<c>packs/Microsoft.NETCore.App.Ref/&lt;version&gt;/ref/&lt;tfm&gt;</c>, holding
    /// <c>*.xml</c> files) of the newest pack version under the first of <paramref name="dotnetRoots"/> that has
    /// one, or <see langword="null"/>.
    /// </summary>
    public static string? FindReferencePackDirectory(IEnumerable<string> dotnetRoots)
    {
        foreach (string root in dotnetRoots)
        {
            string packRoot = Path.Combine(root, "packs", PackName);
            if (!Directory.Exists(packRoot))
            {
                continue;
            }
            var versions = SafeGetDirectories(packRoot)
                .OrderByDescending(d => ParseVersion(Path.GetFileName(d)))
                .ThenByDescending(d => Path.GetFileName(d), StringComparer.Ordinal);
            foreach (string versionDir in versions)
            {
                string refDir = Path.Combine(versionDir, "ref");
                if (!Directory.Exists(refDir))
                {
                    continue;
                }
                var tfms = SafeGetDirectories(refDir)
                    .OrderByDescending(d => ParseTfm(Path.GetFileName(d)))
                    .ThenByDescending(d => Path.GetFileName(d), StringComparer.Ordinal);
                foreach (string tfmDir in tfms)
                {
                    if (SafeGetFiles(tfmDir, "*.xml").Length > 0)
                    {
                        return tfmDir;
                    }
                }
            }
        }
        return null;
    }

    /// <summary>
    /// The documentation files of <paramref name="directory"/> (default: <see cref="FindReferencePackDirectory()"/>),
    /// sorted by file name (ordinal).
    /// </summary>
    /// <exception cref="FileNotFoundException">No directory was given and no reference pack was found.</exception>
    public static IEnumerable<string> EnumerateFiles(string? directory = null)
    {
        directory ??= ReferencePackDirectoryOrThrow(CandidateDotnetRoots());
        string[] files = Directory.GetFiles(directory, "*.xml");
        Array.Sort(files, (a, b) => string.CompareOrdinal(Path.GetFileName(a), Path.GetFileName(b)));
        return files;
    }

    // The reference pack's documentation folder, or a FileNotFoundException that says where it looked.
    internal static string ReferencePackDirectoryOrThrow(IReadOnlyList<string> dotnetRoots)
    {
        return FindReferencePackDirectory(dotnetRoots) ?? throw NotFound(dotnetRoots);
    }

    private static FileNotFoundException NotFound(IReadOnlyList<string> dotnetRoots)
    {
        var looked = dotnetRoots.Select(r => Path.Combine(r, "packs", PackName));
        return new FileNotFoundException(
            "No .NET reference-pack documentation (packs/" + PackName + "/<version>/ref/<tfm>/*.xml) was found. Looked in: "
            + string.Join(", ", looked)
            + ". Set DOTNET_ROOT to a .NET SDK installation, or pass --text FILE to train on a text file of your own.");
    }

    private static string? RootFromRuntimeDirectory()
    {
        try
        {
            // <root>/shared/Microsoft.NETCore.App/<version>/
            var dir = new DirectoryInfo(Path.TrimEndingDirectorySeparator(RuntimeEnvironment.GetRuntimeDirectory()));
            DirectoryInfo? framework = dir.Parent;
            DirectoryInfo? shared = framework?.Parent;
            if (framework?.Name == "Microsoft.NETCore.App" && shared?.Name == "shared")
            {
                return shared.Parent?.FullName;
            }
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
        }
        return null;
    }

    private static string? RootFromPath()
    {
        string? path = Environment.GetEnvironmentVariable("PATH");
        if (string.IsNullOrEmpty(path))
        {
            return null;
        }
        string exe = OperatingSystem.IsWindows() ? "dotnet.exe" : "dotnet";
        foreach (string entry in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            try
            {
                var file = new FileInfo(Path.Combine(entry, exe));
                if (!file.Exists)
                {
                    continue;
                }
                FileSystemInfo target = file.ResolveLinkTarget(returnFinalTarget: true) ?? file;
                return Path.GetDirectoryName(target.FullName);
            }
            catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException)
            {
            }
        }
        return null;
    }

    private static string[] SafeGetDirectories(string path)
    {
        try
        {
            return Directory.GetDirectories(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    private static string[] SafeGetFiles(string path, string pattern)
    {
        try
        {
            return Directory.GetFiles(path, pattern);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    // "10.0.12" > "10.0.2" > "10.0.0-rc.1" (a release sorts above its previews); unparsable names last.
    private static (Version, int) ParseVersion(string name)
    {
        int dash = name.IndexOf('-');
        string core = dash >= 0 ? name[..dash] : name;
        return Version.TryParse(core, out Version? v) ? (v, dash >= 0 ? 0 : 1) : (new Version(0, 0), -1);
    }

    // "net10.0" > "net9.0" > "netcoreapp3.1"; anything else last.
    private static Version ParseTfm(string name)
    {
        ReadOnlySpan<char> s = name;
        if (s.StartsWith("netcoreapp", StringComparison.OrdinalIgnoreCase))
        {
            s = s["netcoreapp".Length..];
        }
        else if (s.StartsWith("net", StringComparison.OrdinalIgnoreCase))
        {
            s = s["net".Length..];
        }
        return Version.TryParse(s, out Version? v) ? v : new Version(0, 0);
    }
}
