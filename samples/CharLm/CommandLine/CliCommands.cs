using System.CommandLine;
using CommandSymbol = System.CommandLine.Command;
using System.CommandLine.Help;
using System.CommandLine.Invocation;

namespace CharLm;

/// <summary>
/// The command tree: <c>rnngen [train|sample|eval|help] [options]</c>. The root runs <c>train</c>, so <c>rnngen</c>
/// alone trains on the default corpus. System.CommandLine tokenises (POSIX <c>--name value</c> and
/// <c>--name=value</c>), generates the help and answers the <c>[suggest]</c> directive that dotnet-suggest's shell
/// scripts use for completions; <see cref="OptionParser"/> turns its result into <see cref="Options"/> and its errors
/// into our messages.
/// </summary>
internal sealed class CliCommands
{
    public static CliCommands Instance { get; } = new();

    public CliOptions Options { get; } = new();
    public RootCommand Root { get; }
    public CommandSymbol Train { get; }
    public CommandSymbol Sample { get; }
    public CommandSymbol Eval { get; }
    public CommandSymbol Help { get; }

    private CliCommands()
    {
        Root = new RootCommand("rnngen: train a character language model on the CPU with RnnGen, then sample from it and evaluate it.");
        Train = new CommandSymbol("train", "Train a model (the default command; no arguments = train on the .NET SDK's docs)");
        Sample = new CommandSymbol("sample", "Generate text from a checkpoint");
        Sample.Aliases.Add("generate");
        Eval = new CommandSymbol("eval", "Validation loss, perplexity and bits per character of a checkpoint");
        Eval.Aliases.Add("evaluate");
        Help = new CommandSymbol("help", "Show this help, or a command's: rnngen help sample");
        Help.Arguments.Add(new Argument<string?>("command") { Arity = ArgumentArity.ZeroOrOne, HelpName = "COMMAND" });

        foreach (var o in Options.ForTrain)
        {
            Root.Options.Add(o);
            Train.Options.Add(o);
        }
        foreach (var o in Options.ForSample) Sample.Options.Add(o);
        foreach (var o in Options.ForEval) Eval.Options.Add(o);
        Root.Subcommands.Add(Train);
        Root.Subcommands.Add(Sample);
        Root.Subcommands.Add(Eval);
        Root.Subcommands.Add(Help);
        foreach (var command in new[] { Root, Train, Sample, Eval, Help }) command.Action = RunByCli.Instance;

        // The generated help, then the presets and what the exit codes mean.
        var help = Root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithNotes((HelpAction)help.Action!);
    }

    /// <summary>
    /// Parses <paramref name="args"/>. Response files are off: <c>--prompt @home</c> is a prompt, not a file to read
    /// (System.CommandLine would read a file named home in its place).
    /// </summary>
    public ParseResult Parse(IReadOnlyList<string> args) => Root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });

    /// <summary>Every command, for messages that say which command an option belongs to.</summary>
    public IEnumerable<CommandSymbol> Commands => [Train, Sample, Eval];

    /// <summary>The options <paramref name="command"/> accepts, by every name and alias, help and version included.</summary>
    public IEnumerable<Option> OptionsOf(CommandSymbol command) =>
        command.Options.Concat(Root.Options.Where(o => o.Recursive)).Distinct();

    public static IEnumerable<string> NamesOf(Option o) => [o.Name, .. o.Aliases];

    /// <summary>
    /// The action of every command: <see cref="Cli"/> runs the command itself, with its own error handling, so this
    /// only marks a command line as complete (System.CommandLine reports "Required command was not provided" without one).
    /// </summary>
    internal sealed class RunByCli : SynchronousCommandLineAction
    {
        public static RunByCli Instance { get; } = new();
        public override int Invoke(ParseResult parseResult) => throw new InvalidOperationException("commands are run by Cli.Run, not invoked");
    }

    internal sealed class HelpWithNotes(HelpAction generated) : SynchronousCommandLineAction
    {
        // Like the generated help: `rnngen --frobnicate --help` shows the help rather than the error.
        public override bool ClearsParseErrors => true;

        public override int Invoke(ParseResult parseResult)
        {
            generated.Invoke(parseResult);
            var output = parseResult.InvocationConfiguration.Output;
            var command = parseResult.CommandResult.Command;
            if (command is RootCommand || command.Name is "train" or "sample" or "eval")
            {
                HelpText.WritePresets(output);
                output.WriteLine();
            }
            HelpText.WriteNotes(output);
            return ExitCodes.Success;
        }
    }
}
