using System.Globalization;
using RnnGen;
using RnnGen.Checkpoints;
using RnnGen.Models;
using RnnGen.Text;
using RnnGen.Training;
using RnnGen.Datasets;
using RnnGen.Distributed;
using Spectre.Console;

namespace CharLm.Commands;

/// <summary><c>rnngen train</c>: trains a preset on a corpus within a time budget, saving checkpoints, the vocabulary and the loss curve.</summary>
public static class TrainCommand
{
    public const string BestFile = "best.safetensors";
    public const string LastFile = "last.safetensors";
    public const string VocabularyFile = "vocab.json";
    public const string CsvFile = "loss.csv";
    public const string PngFile = "loss.png";
    private static readonly float[] SampleTemperatures = [0.5f, 0.8f, 1.0f];

    internal static int Run(Options o, TextWriter output, IAnsiConsole console, CancellationToken cancellation, CliHooks? hooks)
    {
        string outDir = o.Out;
        string best = Path.Combine(outDir, BestFile), last = Path.Combine(outDir, LastFile);

        if (o.Resume && !File.Exists(last))
            throw new CliException($"--resume: there is no {last} to resume from (check --out, or train without --resume)");

        // --distributed: every rank runs this command; rank 0 alone writes the folder and the output.
        using var ranks = TrainRanks.Start(o.Distributed);
        if (!ranks.Leads)
        {
            output = TextWriter.Null;
            console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null), Ansi = AnsiSupport.No, Interactive = InteractionSupport.No });
        }

        // The folder belongs to this run until it ends: a second train on it is refused.
        using var folder = ranks.OnRankZero(() =>
        {
            var acquired = RunFolder.Acquire(outDir);
            try
            {
                foreach (string stale in acquired.RemoveStaleTemporaries())
                    output.WriteLine($"Removed {stale}, left by an interrupted write.");
                if (!o.Resume) ClaimForNewRun(outDir, o.Overwrite, output);
                return acquired;
            }
            catch
            {
                acquired.Dispose();
                throw;
            }
        });

        // Resuming: the checkpoint's vocabulary and trainer position, and the run's settings unless overridden.
        SafeTensorsFile? resume = null;
        TrainerCheckpoint? resumed = null;
        RunInfo? previous = null;
        if (o.Resume)
        {
            resume = SafeTensors.Read(last);
            resumed = TrainerCheckpoint.Read(resume);
            previous = RunInfo.Read(outDir);
        }

        var corpus = CorpusLoader.Load(o.Text ?? previous?.Text);
        Vocabulary vocab = resume is not null && resume.Metadata.TryGetValue(LanguageModel.VocabularyMetadataKey, out var vocabJson)
            ? ModelLoader.ReadVocabulary(vocabJson, last)
            : Vocabulary.Characters(corpus.Text);
        int[] ids = Encode(vocab, corpus, o.Resume);

        string modelName = o.Model ?? previous?.Model ?? Presets.DefaultName;
        var preset = Presets.Find(modelName) ?? throw ModelLoader.UnknownPreset(modelName);
        int batch = o.Batch ?? previous?.Batch ?? Options.DefaultBatch;
        int steps = o.Steps ?? previous?.Steps ?? Options.DefaultSteps;
        float lr = o.LearningRate ?? previous?.LearningRate ?? Options.DefaultLearningRate;
        int seed = o.Seed ?? previous?.Seed ?? 0;

        if (batch < ranks.Size)
            throw new CliException(Invariant($"--batch {batch} is the global batch, split over the {ranks.Size} ranks of --distributed: it must be at least {ranks.Size}, one row per rank"), ExitCodes.Usage);
        var (train, validation) = CorpusLoader.Split(ids, o.Validation);
        if ((train.Length - 1) / batch < steps)
            throw new CliException(Invariant($"--text: {corpus.Source} has {ids.Length:N0} characters, too few for one window of --batch {batch} x --steps {steps} (needs about {(long)batch * (steps + 1) * 20 / 19:N0}); give more text or lower --batch/--steps"));

        // The time budget: --minutes, else 5 minutes unless --epochs bounds the run; a resumed run gets it on top of the time already spent.
        double? minutes = o.Minutes ?? (o.Epochs is null ? Options.DefaultMinutes : null);
        TimeSpan spent = resumed?.Elapsed ?? TimeSpan.Zero;
        long resumedTokens = resumed?.Tokens ?? 0;
        int epochs = o.Epochs ?? 1000;

        var model = preset.Create(vocab.Count, seed);
        // run.json and vocab.json describe the run once it is accepted: once the trainer has taken the checkpoint it
        // resumes from (another --model or --batch is refused before), at its first report or at its end.
        var runInfo = new RunInfo(preset.Name, batch, steps, lr, seed, o.Text ?? previous?.Text);
        bool recorded = false;
        void Record()
        {
            if (recorded || !ranks.Leads) return;
            recorded = true;
            runInfo.Write(outDir);
            AtomicFile.WriteAllText(Path.Combine(outDir, VocabularyFile), vocab.ToJson());
        }
        string budget = minutes is { } m ? Invariant($"{m:0.##} min") : "none";
        output.WriteLine(Invariant($"{(o.Resume ? "Resuming" : "Training")} {preset.Name} ({model.ParameterCount:N0} parameters: {model.Configuration})"));
        output.WriteLine(Invariant($"  corpus: {corpus.Source}: {ids.Length:N0} characters, {vocab.Count} distinct; {validation.Length:N0} held out for validation"));
        output.WriteLine(Invariant($"  batch {batch} x {steps} steps, Adam lr {lr} (halved when validation stalls), time budget {budget}{(o.Epochs is { } ep ? $", {ep} epoch(s)" : "")}, seed {seed}"));
        if (resume is not null)
            output.WriteLine(Invariant($"  continuing after {resumedTokens:N0} characters ({ProgressDisplay.Clock(spent)} of training) from {last}"));
        if (ranks.World is { } world)
        {
            string rows = batch % world.Size == 0 ? Invariant($"{batch / world.Size}") : Invariant($"{batch / world.Size}-{batch / world.Size + 1}");
            string alone = MpiCommunicator.LaunchedByMpirun ? "" : " (not started by mpirun: one rank)";
            output.WriteLine(Invariant($"  data-parallel over {world.Size} rank(s){alone}: each trains {rows} of the {batch} rows of a batch; Open MPI"));
        }
        output.WriteLine($"  writing to {outDir}/ ({BestFile}, {LastFile}, {VocabularyFile}, {CsvFile}, {PngFile}); Ctrl+C saves and stops");
        output.WriteLine();

        using var curve = new LossCurve(Path.Combine(outDir, CsvFile), resume is null ? null : resumedTokens);
        var display = new ProgressDisplay(console, output, $"{preset.Name} on {Shorten(corpus.Source)}", (long)batch * steps, curve, p =>
        {
            Record();
            hooks?.OnProgress?.Invoke(p);
        });
        var options = new TrainingOptions
        {
            BatchSize = batch,
            Steps = steps,
            Epochs = epochs,
            MaxDuration = minutes is { } mm ? spent + TimeSpan.FromMinutes(mm) : null,
            // Timed on each rank: rank 0's count, so that all ranks validate (and checkpoint) at the same windows.
            ValidationsPerEpoch = ranks.Agree(ValidationsPerEpoch(model, train, batch, steps, minutes)),
            // Halve the learning rate when two validations in a row bring no improvement.
            Plateau = new ReduceOnPlateau(lr, factor: 0.5f, patience: 2, minLearningRate: lr / 64),
            CheckpointPath = best,
            LastCheckpointPath = last,
            ResumeFrom = resume is null ? null : last,
            Vocabulary = vocab,
            Progress = display,
            Communicator = ranks.World,
        };
        var trainer = new Trainer(model, new Adam(lr), options);
        try
        {
            return Train(o, output, trainer, display, curve, train, validation, cancellation, Record, vocab, model, preset, resumedTokens, seed, ranks.Leads);
        }
        catch (Exception e) when (e is (IOException and not CheckpointException) or UnauthorizedAccessException)
        {
            string what = e is CheckpointWriteException w ? $"could not write the checkpoint {w.FilePath}" : $"writing to '{Path.GetFullPath(outDir)}' failed";
            throw new CliException($"{what}: {Problem(e)}. {LastGood(o)}", ExitCodes.IO, e);
        }
        catch (MpiException e)
        {
            // Another rank failed or died (its own message, or mpirun's, says why): not a bug of this rank.
            throw new CliException($"--distributed: {e.Message} {LastGood(o)}", ExitCodes.IO, e);
        }
        catch (Exception e) when (e is not (CliException or CheckpointException))
        {
            throw new InternalErrorException(e, LastGood(o));
        }
    }

    private static int Train(Options o, TextWriter output, Trainer trainer, ProgressDisplay display, LossCurve curve, ReadOnlyMemory<int> train,
        ReadOnlyMemory<int> validation, CancellationToken cancellation, Action record, Vocabulary vocab, LanguageModel model, Preset preset,
        long resumedTokens, int seed, bool leads)
    {
        string outDir = o.Out;
        string best = Path.Combine(outDir, BestFile), last = Path.Combine(outDir, LastFile);
        TrainingHistory history;
        try
        {
            history = display.Run(() => trainer.Fit(train, validation, cancellation));
        }
        catch (TrainingDivergedException e)
        {
            record();
            if (leads) DrawCurve(curve, outDir, preset, output);
            throw new CliException($"training diverged: {e.Message} (--lr sets the learning rate.)");
        }
        record();
        if (leads) DrawCurve(curve, outDir, preset, output);

        if (!display.Live && display.Validations.Count > 0)
            output.WriteLine();
        if (cancellation.IsCancellationRequested)
        {
            output.WriteLine(Invariant($"Interrupted after {curve.Points.LastOrDefault()?.Tokens ?? resumedTokens:N0} characters; saved {last}."));
            output.WriteLine($"Resume with: rnngen train --resume{(o.Out == Options.DefaultOut ? "" : $" --out {o.Out}")}");
            return ExitCodes.Interrupted;
        }

        if (!leads) return ExitCodes.Success; // the samples are rank 0's
        output.WriteLine($"Stopped: {history.StopReason}.");
        if (File.Exists(best)) model.Load(best);
        model.Training = false;
        if (history.Best is { } b)
            output.WriteLine(Invariant($"Final validation (best checkpoint, step {b.Step}): loss {b.ValidationLoss:0.0000}, perplexity {b.Perplexity:0.000}, {b.BitsPerToken:0.000} bits/char"));
        output.WriteLine();
        string prompt = o.Prompt ?? DefaultPrompt(vocab);
        foreach (float t in SampleTemperatures)
        {
            output.WriteLine(Invariant($"--- sample, temperature {t:0.0} ---"));
            output.WriteLine(SampleCommand.Generate(model, vocab, prompt, Math.Min(o.Length, 300), t, o.TopK, o.TopP, seed));
            output.WriteLine();
        }
        output.WriteLine($"Sample more with: rnngen sample{(o.Out == Options.DefaultOut ? "" : $" --out {o.Out}")} --prompt \"...\" --temperature 0.8");
        return ExitCodes.Success;
    }

    /// <summary>A fresh run does not replace an earlier one unless told to (--overwrite); --resume continues it.</summary>
    private static void ClaimForNewRun(string outDir, bool overwrite, TextWriter output)
    {
        string[] kept = [BestFile, LastFile, CsvFile];
        var existing = kept.Where(f => File.Exists(Path.Combine(outDir, f))).ToList();
        if (existing.Count == 0) return;
        if (!overwrite)
            throw new CliException($"--out: '{outDir}' already holds a run ({string.Join(", ", existing)}); continue it with --resume, " +
                                   "or start over with --overwrite (which replaces it), or choose another --out", ExitCodes.Usage);
        foreach (string f in new[] { BestFile, LastFile, CsvFile, PngFile, VocabularyFile, RunInfo.FileName })
            File.Delete(Path.Combine(outDir, f));
        output.WriteLine($"--overwrite: removed the earlier run in {outDir}.");
    }

    /// <summary>What went wrong, in words, with the system's own message (which names the file) after it.</summary>
    private static string Problem(Exception e)
    {
        var cause = e is CheckpointWriteException { InnerException: { } inner } ? inner : e;
        string detail = cause.Message.TrimEnd('.');
        return cause switch
        {
            IOException { HResult: 28 } => $"the disk is full ({detail})",
            IOException { HResult: 27 } => $"a file grew beyond the size allowed ({detail})",
            IOException { HResult: 30 } => $"the file system is read-only ({detail})",
            UnauthorizedAccessException => $"permission denied ({detail})",
            _ => detail,
        };
    }

    /// <summary>What a failed run leaves: the newest checkpoint that reads back whole, and how to continue from it.</summary>
    internal static string LastGood(Options o)
    {
        foreach (string name in new[] { LastFile, BestFile })
        {
            string path = Path.Combine(o.Out, name);
            if (!File.Exists(path)) continue;
            try
            {
                var file = SafeTensors.Read(path);
                string after = file.Metadata.TryGetValue(TrainerCheckpoint.Prefix + "tokens", out var t) && long.TryParse(t, CultureInfo.InvariantCulture, out long tokens)
                    ? Invariant($" (after {tokens:N0} characters)") : "";
                string resume = name == LastFile ? $"; once that is fixed, continue with: rnngen train --resume{(o.Out == Options.DefaultOut ? "" : $" --out {o.Out}")}" : "";
                return $"The last good checkpoint is {path}{after}{resume}";
            }
            catch (Exception e) when (e is CheckpointException or IOException or UnauthorizedAccessException)
            {
            }
        }
        return "No checkpoint was saved.";
    }

    private static int[] Encode(Vocabulary vocab, Corpus corpus, bool resuming)
    {
        try
        {
            return vocab.Encode(corpus.Text);
        }
        catch (ArgumentException e)
        {
            throw new CliException($"--text: {corpus.Source}: {e.Message}" + (resuming ? " (the run being resumed was trained with another vocabulary)" : ""));
        }
    }

    /// <summary>Validations per epoch: at least four, and with a time budget about <see cref="ValidationsPerBudget"/> within it.</summary>
    private static int ValidationsPerEpoch(LanguageModel model, ReadOnlyMemory<int> train, int batch, int steps, double? minutes)
    {
        int windows = Math.Max(1, (train.Length - 1) / batch / steps);
        if (minutes is not { } m) return Math.Min(4, windows);
        // Time one training window (forward and backward; the parameters do not change) to see how many fit the budget.
        var inputs = train.Span[..(batch * steps)].ToArray();
        var targets = train.Span.Slice(1, batch * steps).ToArray();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        model.ForwardBackward(new TokenBatch(inputs, targets, batch, steps));
        double windowsInBudget = m * 60 / Math.Max(clock.Elapsed.TotalSeconds, 1e-6);
        int every = (int)Math.Max(1, windowsInBudget / ValidationsPerBudget);
        return Math.Clamp(windows / every, Math.Min(4, windows), windows);
    }

    private const int ValidationsPerBudget = 8;

    private static void DrawCurve(LossCurve curve, string outDir, Preset preset, TextWriter output)
    {
        string path = Path.Combine(outDir, PngFile);
        try
        {
            curve.SavePng(path, $"rnngen {preset.Name}");
        }
        catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or IOException or EntryPointNotFoundException)
        {
            output.WriteLine($"warning: could not draw {path} ({e.GetBaseException().Message}); {CsvFile} has the numbers");
        }
    }

    private static string DefaultPrompt(Vocabulary vocab) => "The".All(c => vocab.Contains(c.ToString())) ? "The" : "";

    private static string Shorten(string source) => source.Length <= 48 ? source : source[..45] + "...";

    private static string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
