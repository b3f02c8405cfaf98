using System.CommandLine;
using CommandSymbol = System.CommandLine.Command;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace CharLm;

/// <summary>
/// Turns a command line into <see cref="Options"/>: System.CommandLine parses it against <see cref="CliCommands"/>,
/// then every error becomes one usage error (<see cref="CliException"/>, exit code 2) that names the option or
/// argument at fault, with the same words whatever System.CommandLine's own message would have been.
/// </summary>
public static class OptionParser
{
    public static Options Parse(IReadOnlyList<string> args) => Read(CliCommands.Instance.Parse(args), args);

    internal static Options Read(ParseResult result, IReadOnlyList<string> args)
    {
        var cli = CliCommands.Instance;
        var command = result.CommandResult.Command;
        var which = command == cli.Sample ? Command.Sample : command == cli.Eval ? Command.Eval : command == cli.Export ? Command.Export : command == cli.Help ? Command.Help : Command.Train;
        // Help, --version and directives run whatever else the line holds (its values may not even parse).
        if (result.Action is not (null or CliCommands.RunByCli or ParseErrorAction))
            return new Options { Command = which, Help = result.Action is CliCommands.HelpWithNotes };
        CheckCommandComesFirst(result);
        CheckValuesAreNotOptions(args, cli, command);
        if (result.Errors.Count > 0) throw Describe(result, args, cli, command);

        var op = cli.Options;
        var o = new Options
        {
            Command = which,
            HelpFor = command == cli.Help ? result.GetValue<string?>("command") : null,
            Text = result.GetValue(op.Text),
            Model = result.GetValue(op.Model),
            Epochs = result.GetValue(op.Epochs),
            Minutes = result.GetValue(op.Minutes),
            Validation = result.GetValue(op.Validation),
            Batch = result.GetValue(op.Batch),
            Steps = result.GetValue(op.Steps),
            LearningRate = result.GetValue(op.LearningRate),
            Seed = result.GetValue(op.Seed),
            Out = result.GetValue(op.Out) ?? Options.DefaultOut,
            Resume = result.GetValue(op.Resume),
            Overwrite = result.GetValue(op.Overwrite),
            Distributed = result.GetValue(op.Distributed),
            Checkpoint = result.GetValue(op.Checkpoint),
            Length = result.GetValue(op.Length) ?? Options.DefaultLength,
            Temperature = result.GetValue(op.Temperature) ?? Options.DefaultTemperature,
            TopK = result.GetValue(op.TopK) ?? 0,
            TopP = result.GetValue(op.TopP) ?? 1,
            Prompt = result.GetValue(op.Prompt),
            Onnx = result.GetValue(op.Onnx),
            Precision = result.GetValue(op.Precision),
        };
        if (which == Command.Export && o.Onnx is null) throw OptionValues.Usage("export needs --onnx FILE: where to write the ONNX model");
        if (o.Resume && o.Overwrite) throw OptionValues.Usage("--resume continues the run in --out and --overwrite replaces it: give one of them");
        return o;
    }

    /// <summary>
    /// <c>rnngen --seed 3 sample</c> would read --seed as an option of train and then drop it unchecked: the command
    /// comes first, so an option before it is refused.
    /// </summary>
    private static void CheckCommandComesFirst(ParseResult result)
    {
        var tokens = result.Tokens;
        int at = -1;
        for (int i = 0; i < tokens.Count && at < 0; i++)
            if (tokens[i].Type == TokenType.Command) at = i;
        if (at <= 0) return;
        var before = tokens.Take(at).FirstOrDefault(t => t.Type is TokenType.Option or TokenType.Argument);
        if (before is not null)
            throw OptionValues.Usage($"'{before.Value}' comes before the command '{tokens[at].Value}': the command comes first (rnngen {tokens[at].Value} [options])");
    }

    /// <summary>
    /// A value is never taken from the next option: <c>--out --resume</c> is an error, not a folder named --resume
    /// (System.CommandLine would take it), and <c>--resume=yes</c> says the flag takes no value. A value that starts
    /// with -- is written <c>--out=--odd</c>.
    /// </summary>
    private static void CheckValuesAreNotOptions(IReadOnlyList<string> args, CliCommands cli, CommandSymbol command)
    {
        var options = cli.OptionsOf(command).ToList();
        var byName = options.SelectMany(o => CliCommands.NamesOf(o).Select(n => (n, o))).ToDictionary(p => p.n, p => p.o, StringComparer.Ordinal);
        for (int i = 0; i < args.Count; i++)
        {
            string arg = args[i];
            int eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0 && byName.TryGetValue(arg[..eq], out var flag) && flag.Arity.MaximumNumberOfValues == 0)
                throw OptionValues.Usage($"option '{arg[..eq]}' takes no value");
            if (!byName.TryGetValue(arg, out var option) || option.Arity.MaximumNumberOfValues == 0 || i + 1 >= args.Count) continue;
            string next = args[i + 1];
            if (next.StartsWith("--", StringComparison.Ordinal) || byName.ContainsKey(next))
                throw OptionValues.Usage($"option '{arg}' needs a value, but is followed by the option '{next}' (for a value that starts with --, write {arg}=VALUE)");
            i++;
        }
    }

    private static CliException Describe(ParseResult result, IReadOnlyList<string> args, CliCommands cli, CommandSymbol command)
    {
        // A bad value first: it is the one error that names its option.
        foreach (var error in result.Errors)
        {
            if (OptionOf(error.SymbolResult) is not { } option) continue;
            string name = option.Option.Name;
            return option.Tokens.Count switch
            {
                0 => OptionValues.Usage($"option '{name}' needs a value"),
                > 1 => OptionValues.Usage($"option '{name}' is given {option.Tokens.Count} times ({string.Join(", ", option.Tokens.Select(t => $"'{t.Value}'"))}); give it once"),
                _ => OptionValues.Usage(error.Message),
            };
        }
        if (result.UnmatchedTokens.Count > 0)
        {
            string token = result.UnmatchedTokens[0];
            if (token.Length > 1 && token.StartsWith('-'))
                return OptionValues.Usage($"unknown option '{token}'{Suggestion(token, cli, command)}");
            if (command is RootCommand && args.Count > 0 && args[0] == token)
                return OptionValues.Usage($"unknown command '{token}' (expected train, sample, eval, export or help)");
            if (command == cli.Help)
                return OptionValues.Usage($"unexpected argument '{token}' (rnngen help takes one command name)");
            return OptionValues.Usage($"unexpected argument '{token}' (options start with --; the command comes first)");
        }
        return OptionValues.Usage(result.Errors[0].Message);
    }

    private static OptionResult? OptionOf(SymbolResult? symbol) => symbol switch
    {
        OptionResult o => o,
        ArgumentResult { Parent: OptionResult o } => o,
        _ => null,
    };

    /// <summary>"; did you mean '--epochs'?" for a near name, or which command an option of another command belongs to.</summary>
    private static string Suggestion(string token, CliCommands cli, CommandSymbol command)
    {
        string bare = token.TrimStart('-');
        if (bare.Length == 0) return "";
        int eq = token.IndexOf('=');
        string name = eq > 0 ? token[..eq] : token;
        var own = cli.OptionsOf(command).SelectMany(CliCommands.NamesOf).Where(n => n.StartsWith("--", StringComparison.Ordinal)).ToList();
        var close = own.FirstOrDefault(n => n.TrimStart('-').StartsWith(bare, StringComparison.OrdinalIgnoreCase)
                                            || bare.StartsWith(n.TrimStart('-'), StringComparison.OrdinalIgnoreCase));
        if (close is not null) return $"; did you mean '{close}'?";
        var owner = cli.Commands.FirstOrDefault(c => c != command && c.Options.Any(o => o.Name == name));
        string which = command is RootCommand ? "train" : command.Name;
        return owner is null ? "" : $" for {which}: it is an option of 'rnngen {owner.Name}'";
    }
}
