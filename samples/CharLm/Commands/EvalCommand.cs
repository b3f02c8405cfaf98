using RnnGen;
using RnnGen.Checkpoints;
using RnnGen.Models;
using RnnGen.Text;
using RnnGen.Training;
using RnnGen.Datasets;

namespace CharLm.Commands;

/// <summary>
/// <c>rnngen eval</c>: the loss, perplexity and bits per character of a checkpoint, on <c>--text</c> (all of it) or,
/// without it, on the validation part of the text the run was trained on.
/// </summary>
public static class EvalCommand
{
    public static int Run(Options o, TextWriter output)
    {
        var loaded = ModelLoader.Load(o);
        ReadOnlyMemory<int> tokens;
        string what;
        if (o.Text is not null)
        {
            var corpus = CorpusLoader.Load(o.Text);
            tokens = Encode(loaded.Vocabulary, corpus);
            what = corpus.Source;
        }
        else
        {
            var run = RunInfo.Read(Path.GetDirectoryName(Path.GetFullPath(loaded.Path))!);
            var corpus = CorpusLoader.Load(run?.Text);
            tokens = CorpusLoader.Split(Encode(loaded.Vocabulary, corpus)).Validation;
            what = $"the validation part of {corpus.Source}";
        }
        var previous = RunInfo.Read(o.Out);
        int batch = o.Batch ?? previous?.Batch ?? Options.DefaultBatch, steps = o.Steps ?? previous?.Steps ?? Options.DefaultSteps;
        float loss = o.Precision is { } precision
            ? SessionEvaluation.Loss(loaded.Model, tokens.Span, batch, steps, precision)
            : Trainer.Evaluate(loaded.Model, tokens, batch, steps);
        if (!float.IsFinite(loss)) throw new CliException($"--text: {what} is too short to evaluate on");
        string through = o.Precision is { } p ? $", through a session at {Short(p)}" : "";
        output.WriteLine(FormattableString.Invariant($"{loaded.Path} ({loaded.Preset.Name}) on {what}, {tokens.Length:N0} characters{through}:"));
        output.WriteLine(FormattableString.Invariant($"  loss {loss:0.0000}  perplexity {Math.Exp(loss):0.000}  bits/char {loss / Math.Log(2):0.000}"));
        return ExitCodes.Success;
    }

    internal static string Short(Precision precision) => precision switch
    {
        Precision.BFloat16 => "bf16",
        Precision.Int8 => "int8",
        _ => "fp32",
    };

    private static int[] Encode(Vocabulary vocab, Corpus corpus)
    {
        try
        {
            return vocab.Encode(corpus.Text);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"--text: {corpus.Source}: {e.Message}; the model's vocabulary does not cover it");
        }
    }
}
