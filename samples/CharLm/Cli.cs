using CharLm.Commands;
using RnnGen;
using RnnGen.Checkpoints;
using RnnGen.Models;
using RnnGen.Text;
using RnnGen.Training;
using RnnGen.Datasets;
using Spectre.Console;

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
            var o = OptionParser.Parse(args);
            if (o.Help || o.Command == Command.Help)
            {
                HelpText.Write(output);
                return ExitCodes.Success;
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
        catch (CliException e)
        {
            error.WriteLine($"error: {e.Message}");
            if (e.ExitCode == ExitCodes.Usage) error.WriteLine("Run 'rnngen --help' for the commands and options.");
            return e.ExitCode;
        }
        catch (CheckpointException e)
        {
            // The message starts with the file's path and says what is wrong with it.
            error.WriteLine($"error: {e.Message}");
            return ExitCodes.Error;
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
