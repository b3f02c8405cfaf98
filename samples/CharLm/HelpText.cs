using System.Globalization;

namespace CharLm;

/// <summary>What the generated help does not say: the presets, and how a run stops and what its exit code means.</summary>
public static class HelpText
{
    public static void WriteNotes(TextWriter w) => w.WriteLine("""
        A value that starts with -- is written --name=VALUE (--prompt=--hello); a separate word that is an option is
        never taken as the value of the option before it.
        Ctrl+C or SIGTERM while training saves a checkpoint; `rnngen train --resume` continues from it.
        Exit codes: 0 done, 2 bad command line, 3 bad input (file, corpus, checkpoint), 4 I/O failure (cannot write --out,
        disk full), 70 internal error (a bug: please report it), 75 --out in use by another run, 130 Ctrl+C, 143 SIGTERM.
        Shell completions: install dotnet-suggest and register rnngen (https://learn.microsoft.com/dotnet/standard/commandline/tab-completion).
        """);

    public static void WritePresets(TextWriter w)
    {
        w.WriteLine(FormattableString.Invariant($"Model presets (parameters for a {Presets.ListVocabSize}-character vocabulary):"));
        int width = Presets.All.Max(p => p.Name.Length);
        foreach (var p in Presets.All)
        {
            string mark = p.Name == Presets.DefaultName ? " (default)" : "";
            w.WriteLine(FormattableString.Invariant($"  {p.Name.PadRight(width)} {p.ParameterCount(Presets.ListVocabSize),10:N0}  {p.Description}{mark}"));
        }
    }
}
