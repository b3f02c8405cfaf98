using CharLm;
using CsCheck;

namespace RnnGen.CharLm.Tests;

/// <summary>The CLI never ends in an unhandled exception, whatever the command line.</summary>
[Collection(nameof(CommandLinePropertyTests))] // alone: it changes the working directory
[CollectionDefinition(nameof(CommandLinePropertyTests), DisableParallelization = true)]
public class CommandLinePropertyTests
{
    private static readonly string[] Words =
    [
        "train", "sample", "generate", "eval", "evaluate", "help", "fly", "", " ", "-", "--", "---", "-h", "-?", "/?", "--help", "--version",
        "[suggest]", "[suggest:3]", "[diagram]", "=", "--=", "--out=", "--resume=no", "--seed=-1", "x=y", "list", "gru-tiny", "gpt-5",
        "0", "-1", "1", "7", "1e39", "1e-50", "NaN", "-Infinity", "0x10", "2147483648", "0.5", "1.5", "∞", "é", "日本", "\u200d", "\r\n", "a\0b",
    ];

    private static readonly string[] OptionNames =
        CliCommands.Instance.Commands.SelectMany(c => c.Options).SelectMany(CliCommands.NamesOf).Distinct().Append("--frobnicate").ToArray();

    private static readonly Gen<string[]> CommandLines =
        Gen.OneOf<string>(
                Gen.OneOf<string>(Words),
                Gen.OneOf<string>(OptionNames),
                Gen.String[0, 6],
                Gen.OneOf<string>(OptionNames).Select(Gen.OneOf<string>(Words), (o, v) => $"{o}={v}"))
            .Array[0, 8];

    [Fact]
    public void Parsing_gives_options_or_a_usage_error_naming_what_is_wrong()
    {
        CommandLines.Sample(args =>
        {
            try
            {
                OptionParser.Parse(args);
            }
            catch (CliException e)
            {
                Assert.Equal(ExitCodes.Usage, e.ExitCode);
                Assert.False(string.IsNullOrWhiteSpace(e.Message));
            }
        }, iter: 3000, threads: 1, print: a => string.Join(" ", a.Select(w => $"'{w}'")));
    }

    [Fact]
    public void Running_ends_with_a_message_and_an_exit_code_never_an_internal_error()
    {
        using var dir = new TempDir();
        string missing = dir.File("missing.txt");
        string previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = dir.Path; // folders named by random --out values land here
        try
        {
            CommandLines.Sample(args =>
            {
                // Training on the default corpus would take minutes: a text is always named (missing, so the run stops at once).
                if (!args.Any(a => a.StartsWith("--text", StringComparison.Ordinal))) args = [.. args, "--text", missing];
                var r = CliRunner.Run(args);
                Assert.NotEqual(ExitCodes.Internal, r.ExitCode);
                Assert.DoesNotContain("   at ", r.Err);
                Assert.DoesNotContain("Exception", r.Err);
                if (r.ExitCode != ExitCodes.Success) Assert.StartsWith("error: ", r.Err);
            }, iter: 400, threads: 1, print: a => string.Join(" ", a.Select(w => $"'{w}'")));
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
    }
}
