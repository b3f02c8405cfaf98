using System.IO.Compression;
using RnnGen.Generators.Tests.Infrastructure;

namespace RnnGen.Generators.Tests;

/// <summary>
/// The RnnGen package as a user gets it: packed from the repository, restored from a local feed into
/// a fresh console app that treats warnings as errors, which declares a cell and runs it.
/// Slow (pack, restore, build): marked with a trait, but part of the default run.
/// </summary>
[Trait("Category", "Packaging")]
public sealed class PackagingTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("rnngen-package-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_console_app_referencing_the_package_declares_a_cell_builds_without_warnings_and_runs_it()
    {
        string feed = Path.Combine(_root, "feed");
        DotnetCli.Succeed(RepositoryPaths.Root, "pack", Path.Combine("src", "RnnGen"), "-c", "Release", "-o", feed);

        string package = Assert.Single(Directory.GetFiles(feed, "RnnGen.*.nupkg"));
        using (var zip = ZipFile.OpenRead(package))
        {
            var entries = zip.Entries.Select(e => e.FullName).ToList();
            Assert.Contains("lib/net10.0/RnnGen.dll", entries);
            Assert.Contains("analyzers/dotnet/cs/RnnGen.Generators.dll", entries);
            Assert.DoesNotContain(entries, e => e.StartsWith("lib/", StringComparison.Ordinal) && e.EndsWith("RnnGen.Generators.dll", StringComparison.Ordinal));
        }
        string version = Path.GetFileNameWithoutExtension(package)["RnnGen.".Length..];

        string app = Path.Combine(_root, "app");
        Directory.CreateDirectory(app);
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="rnngen-local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(app, "App.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <TreatWarningsAsErrors>true</TreatWarningsAsErrors>
                <RestorePackagesPath>{Path.Combine(_root, "packages")}</RestorePackagesPath>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="RnnGen" Version="{version}" />
              </ItemGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(app, "Program.cs"), """
            using RnnGen;
            using static RnnGen.Ops;

            const int input = 3, hidden = 4, steps = 2, batch = 2;
            var cell = new Leaky(input, hidden);
            var parameters = new float[cell.ParameterCount];
            cell.Initialize(parameters, new Random(1));
            var inputs = new float[steps * batch * input];
            for (int i = 0; i < inputs.Length; i++) inputs[i] = 0.1f * (i % 5) - 0.2f;
            var outputs = new float[steps * batch * hidden];
            cell.Forward(parameters, inputs, ReadOnlySpan<float>.Empty, outputs, Span<float>.Empty, new CellTape<float>(), steps, batch);

            bool finite = outputs.All(float.IsFinite), bounded = outputs.All(v => MathF.Abs(v) < 1), moved = outputs.Any(v => v != 0);
            Console.WriteLine($"parameters={cell.ParameterCount} gru={new Cells.Gru(input, hidden).ParameterCount} finite={finite} bounded={bounded} moved={moved}");

            [RecurrentCell]
            internal partial class Leaky
            {
                Weight W, U;
                Bias b;

                Vec Step(Vec x, Vec h) => 0.5f * Tanh(W * x + U * h + b) + 0.5f * h;
            }
            """);

        string build = DotnetCli.Succeed(app, "build", "-c", "Release");
        Assert.Contains("0 Warning(s)", build);
        Assert.True(File.Exists(Path.Combine(_root, "packages", "rnngen", version, "analyzers", "dotnet", "cs", "RnnGen.Generators.dll")),
            "the package was not restored into the private packages folder");

        string output = DotnetCli.Succeed(app, "run", "-c", "Release", "--no-build");
        // Leaky: W [4 x 3] + U [4 x 4] + b [4] = 32; Gru: 3 x (4 x 3) + 3 x (4 x 4) + 6 x 4 = 108.
        Assert.Contains("parameters=32 gru=108 finite=True bounded=True moved=True", output);
    }
}
