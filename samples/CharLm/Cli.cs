using CharLm.Commands;
using RnnGen;
using RnnGen.Checkpoints;
using RnnGen.Models;
using RnnGen.Text;
using RnnGen.Training;
using RnnGen.Datasets;
using Spectre.Console;
using System.CommandLine;
using System.CommandLine.Invocation;

namespace CharLm;

/// <summary>Test seams: things a test needs to observe or steer inside a run.</summary>
internal sealed record CliHooks(Action<TrainingProgress>? OnProgress = null);

/// <summary>The command line, callable in-process: parse, run the command, turn known errors into a message and an exit code.</summary>
public static class Cli
{
    public static int Run(string[] args, TextWriter output, TextWriter error, CancellationToken cancellation = default) =>
        Run(args, output, error, cancellation, null);

    internal static int Run(string[] args, TextWriter output, TextWriter error, CancellationToken cancellation, CliHooks? hooks)
    {
        try
        {
            var cli = CliCommands.Instance;
            var parsed = cli.Parse(args);
            // Help, --version and the [suggest] directive of shell completions are System.CommandLine's own actions.
            if (parsed.Action is { } action and not ParseErrorAction and not CliCommands.RunByCli)
                return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
            var o = OptionParser.Read(parsed, args);
            if (o.Command == Command.Help)
            {
                string[] about = o.HelpFor is { } name ? [name, "--help"] : ["--help"];
                var help = cli.Parse(about);
                if (help.Action is not CliCommands.HelpWithNotes || (o.HelpFor is not null && help.CommandResult.Command is RootCommand) || ReferenceEquals(help.CommandResult.Command, cli.Help))
                    throw new CliException($"unknown command '{o.HelpFor}' (expected train, sample, eval or help)", ExitCodes.Usage);
                return help.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
            }
            if (string.Equals(o.Model, "list", StringComparison.OrdinalIgnoreCase))
            {
                HelpText.WritePresets(output);
                return ExitCodes.Success;
            }
            if (o.Model is not null && Presets.Find(o.Model) is null) throw ModelLoader.UnknownPreset(o.Model);
            return o.Command switch
            {
                Command.Sample => SampleCommand.Run(o, output),
                Command.Eval => EvalCommand.Run(o, output),
                _ => TrainCommand.Run(o, output, CreateConsole(output), cancellation, hooks),
            };
        }
        catch (Exception e)
        {
            return Report(e, error);
        }
    }

    /// <summary>Where a bug is reported (RepositoryUrl in Directory.Build.props, plus /issues).</summary>
    public const string IssuesAddress = "https://github.com/rnngen/rnngen/issues";

    /// <summary>The version and commit of this build, for a bug report.</summary>
    public static string Version =>
        typeof(Cli).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
            .OfType<System.Reflection.AssemblyInformationalVersionAttribute>().FirstOrDefault()?.InformationalVersion ?? "unknown";

    /// <summary>
    /// The one place an exception becomes a message and an exit code: user errors, unreadable checkpoints, I/O
    /// failures and, for anything else, an internal error that says so and where to report it. Never a stack trace.
    /// </summary>
    internal static int Report(Exception e, TextWriter error)
    {
        switch (e)
        {
            case CliException c:
                error.WriteLine($"error: {c.Message}");
                if (c.ExitCode == ExitCodes.Usage) error.WriteLine("Run 'rnngen --help' for the commands and options.");
                return c.ExitCode;
            case CheckpointException:
                // The message starts with the file's path and says what is wrong with it.
                error.WriteLine($"error: {e.Message}");
                return ExitCodes.Input;
            case IOException or UnauthorizedAccessException:
                error.WriteLine($"error: I/O failure: {e.Message}");
                return ExitCodes.IO;
            default:
                var inner = e is InternalErrorException { InnerException: { } i } ? i : e;
                error.WriteLine($"error: internal error in rnngen: {inner.GetType().Name}: {inner.Message}");
                if (e is InternalErrorException { Saved: { } saved }) error.WriteLine(saved);
                error.WriteLine($"This is a bug; please report it at {IssuesAddress}, with the command line, this message and the version (rnngen {Version}).");
                return ExitCodes.Internal;
        }
    }

    /// <summary>A Spectre console on <paramref name="output"/>: live and coloured on a terminal, plain text otherwise.</summary>
    private static IAnsiConsole CreateConsole(TextWriter output) => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(output),
        Ansi = AnsiSupport.Detect,
        ColorSystem = ColorSystemSupport.Detect,
        Interactive = InteractionSupport.Detect,
    });
}
