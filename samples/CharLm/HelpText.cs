using System.Globalization;

namespace CharLm;

public static class HelpText
{
    public static void Write(TextWriter w)
    {
        w.WriteLine("""
            rnngen: train a character language model on the CPU with RnnGen, then sample from it.

            Usage:
              rnngen [train] [options]        train (the default; no arguments = train on the .NET SDK's docs)
              rnngen sample [options]         generate text from a checkpoint
              rnngen eval [options]           validation loss, perplexity and bits per character of a checkpoint
              rnngen --model list             list the model presets

            Training:
              --text FILE|DIR     UTF-8 text, or a folder of *.txt files (sorted, concatenated);
                                  default: English prose from the .NET SDK's reference documentation
              --model NAME        model preset (default: {DEFAULT}); 'list' shows them all
              --minutes N         time budget (default: {MINUTES} minutes; without it, --epochs alone bounds the run)
              --validation F      hold out the last fraction F of the text for validation (default: 5%, at most 10,000 characters)
              --epochs N          passes over the text (default: unbounded within the time budget)
              --batch N           rows trained side by side (default: {BATCH})
              --steps N           characters per window, the BPTT length (default: {STEPS})
              --lr X              Adam learning rate (default: {LR})
              --seed N            initialisation, dropout and sampling seed (default: 0)
              --out DIR           where checkpoints, vocab.json, loss.csv and loss.png go (default: {OUT})
              --resume            continue from <out>/last.safetensors
              --overwrite         start afresh in an --out that already holds a run, replacing it

            Sampling and evaluation:
              --checkpoint FILE   the checkpoint to read (default: <out>/best.safetensors)
              --length N          characters to generate (default: {LENGTH})
              --temperature X     0 = greedy; higher = more adventurous (default: {TEMP})
              --top-k N           sample only from the N most likely characters (default: 0 = all)
              --top-p X           nucleus sampling: the smallest set reaching probability X (default: 1)
              --prompt TEXT       text to continue

              -h, --help          this help

            Ctrl+C or SIGTERM while training saves a checkpoint; `rnngen train --resume` continues from it.
            Exit codes: 0 done, 2 bad command line, 3 bad input (file, corpus, checkpoint), 4 I/O failure (cannot write --out,
            disk full), 70 internal error (a bug: please report it), 75 --out in use by another run, 130 Ctrl+C, 143 SIGTERM.
            """
            .Replace("{DEFAULT}", Presets.DefaultName, StringComparison.Ordinal)
            .Replace("{MINUTES}", Options.DefaultMinutes.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{BATCH}", Options.DefaultBatch.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{STEPS}", Options.DefaultSteps.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{LR}", Options.DefaultLearningRate.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{OUT}", Options.DefaultOut, StringComparison.Ordinal)
            .Replace("{LENGTH}", Options.DefaultLength.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{TEMP}", Options.DefaultTemperature.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));
        w.WriteLine();
        WritePresets(w);
    }

    public static void WritePresets(TextWriter w)
    {
        w.WriteLine(FormattableString.Invariant($"Model presets (parameters for a {Presets.ListVocabSize}-character vocabulary):"));
        foreach (var p in Presets.All)
        {
            string mark = p.Name == Presets.DefaultName ? " (default)" : "";
            w.WriteLine(FormattableString.Invariant($"  {p.Name,-12} {p.ParameterCount(Presets.ListVocabSize),10:N0}  {p.Description}{mark}"));
        }
    }
}
