using System.Diagnostics;
using System.Globalization;
using RnnGen;
using RnnGen.Checkpoints;
using RnnGen.Models;
using RnnGen.Text;
using RnnGen.Training;
using RnnGen.Datasets;
using RnnGen.Datasets.Plots;
using Translate;

// English → Chinese numbers and dates with an attention encoder-decoder, trained from scratch.
//   dotnet run -c Release --project samples/Translate [-- --minutes 4 --count 40000 --seed 1 --batch 64]
// Trains within the time budget (stopping early once the validation set is all correct), reports exact
// match and character BLEU-4 on the test set, prints examples, writes attention.png, then translates stdin lines.
var options = Options.Parse(args);
Console.OutputEncoding = System.Text.Encoding.UTF8;
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;

var corpus = TranslationCorpus.Generate(options.Count, options.Seed);
Console.WriteLine($"Corpus: {corpus.Train.Count} train, {corpus.Validation.Count} validation, {corpus.Test.Count} test pairs (split by value).");
var sourceTable = new TokenTable(corpus.Train.SelectMany(p => TranslationCorpus.SourceTokens(p.Source)));
var targetTable = new TokenTable(corpus.Train.SelectMany(p => TranslationCorpus.TargetTokens(p.Target)));
(int[] Source, int[] Target) Encode(TranslationPair p) =>
    (sourceTable.Encode(TranslationCorpus.SourceTokens(p.Source)), targetTable.Encode(TranslationCorpus.TargetTokens(p.Target)));
SentencePairs Pairs(IEnumerable<TranslationPair> pairs)
{
    var encoded = pairs.Select(Encode).ToArray();
    return new SentencePairs(encoded.Select(p => p.Source).ToArray(), encoded.Select(p => p.Target).ToArray());
}
var train = Pairs(corpus.Train);
var validation = Pairs(corpus.Validation.Take(options.ValidationSize));

var model = new Translator(sourceTable.Count, targetTable.Count, options.Seed);
Console.WriteLine($"Model: {model.ParameterCount:N0} parameters; vocabularies {sourceTable.Count} English, {targetTable.Count} Chinese tokens.");
var budget = TimeSpan.FromMinutes(options.Minutes);
// The cosine decay (down to a tenth) is laid over the steps the budget allows: a few timed steps estimate them.
long totalSteps = EstimateSteps(model, train, options.BatchSize, budget);
var checkpoint = Path.Combine(Path.GetTempPath(), $"translator-{Environment.ProcessId}.safetensors");
var clock = Stopwatch.StartNew();
var trainer = new Trainer(model, new Adam(options.LearningRate), new TrainingOptions
{
    BatchSize = options.BatchSize,
    Seed = options.Seed,
    Epochs = 1000,
    MaxDuration = budget,
    Schedule = new CosineSchedule(options.LearningRate, totalSteps, minLearningRate: options.LearningRate / 10),
    ValidationsPerEpoch = Math.Max(1, (int)Math.Round(train.Count / (double)options.BatchSize / options.StepsPerValidation)),
    CheckpointPath = checkpoint,
    // Validation exact match is greedy decoding's, computed under teacher forcing: at 100% there is nothing left to learn.
    StopAtMetric = 1.0,
    EarlyStoppingPatience = 3,
    Progress = new PrintProgress(p =>
    {
        if (p.Validation is { } v)
            Console.WriteLine($"{v.Elapsed:mm\\:ss} epoch {v.Epoch} step {v.Step}: loss {v.TrainLoss:F4}, validation loss {v.ValidationLoss:F4}, exact match {v.Metric:P2} ({validation.Count})");
    }),
});
var history = trainer.Fit(train, validation);
var trainingTime = clock.Elapsed;
Console.WriteLine($"Trained {history.Results.LastOrDefault()?.Step ?? 0} steps in {trainingTime:mm\\:ss} ({history.StopReason}).");
if (File.Exists(checkpoint))
{
    model.Load(checkpoint); // the lowest validation loss seen
    File.Delete(checkpoint);
}

var test = corpus.Test.ToArray();
var (greedyAccuracy, greedyBleu, greedyOutputs) = ExactMatch(test, beam: 0);
Console.WriteLine($"Test ({test.Length} pairs), greedy: exact match {greedyAccuracy:P2}, BLEU-4 (characters) {greedyBleu * 100:F2}");
if (options.Beam > 1)
{
    var (beamAccuracy, beamBleu, beamOutputs) = ExactMatch(test, beam: options.Beam);
    Console.WriteLine($"Test ({test.Length} pairs), beam {options.Beam}: exact match {beamAccuracy:P2}, BLEU-4 (characters) {beamBleu * 100:F2}");
    foreach (int i in Enumerable.Range(0, test.Length).Where(i => beamOutputs[i] != test[i].Target).Take(3))
        Console.WriteLine($"  beam error: {test[i].Source}  →  {beamOutputs[i]}   (expected {test[i].Target})");
}
Console.WriteLine("Examples:");
foreach (int i in Enumerable.Range(0, test.Length).OrderBy(i => (i * 7919) % test.Length).Take(8))
    Console.WriteLine($"  {test[i].Source}  →  {greedyOutputs[i]}{(greedyOutputs[i] == test[i].Target ? "" : $"   (expected {test[i].Target})")}");
foreach (int i in Enumerable.Range(0, test.Length).Where(i => greedyOutputs[i] != test[i].Target).Take(5))
    Console.WriteLine($"  error: {test[i].Source}  →  {greedyOutputs[i]}   (expected {test[i].Target})");

// One attention map: rows are the produced characters (then <eos>), columns the English tokens.
var example = test.FirstOrDefault(p => p.Source.Contains("thousand and", StringComparison.Ordinal)) ?? test[0];
var attention = new List<float[]>();
var produced = model.Translate(Encode(example).Source, maxLength: 40, attention);
var sourceWords = TranslationCorpus.SourceTokens(example.Source);
var weights = new double[attention.Count, attention[0].Length];
for (int r = 0; r < attention.Count; r++)
    for (int c = 0; c < attention[r].Length; c++) weights[r, c] = attention[r][c];
// The last row is the step that produced <eos> when decoding stopped there rather than at the length limit.
var rowLabels = produced.Select(id => targetTable.Tokens[id]).Concat(Enumerable.Repeat("<eos>", attention.Count - produced.Length)).ToArray();
var columnLabels = Enumerable.Range(0, weights.GetLength(1)).Select(c => c < sourceWords.Length ? sourceWords[c] : "<eos>").ToArray();
HeatMapPlot.Save(options.AttentionPath, weights, rowLabels, columnLabels, $"Attention while translating \"{example.Source}\"",
    "English source word", "produced Chinese character", "attention weight");
Console.WriteLine($"Attention of \"{example.Source}\" → {targetTable.Decode(produced)} written to {options.AttentionPath} "
    + $"({columnLabels.Length} columns: {string.Join(" ", columnLabels)}; {attention.Count} rows).");

// Interactive: one English phrase per line; an empty line or end of input stops.
if (!Console.IsInputRedirected) Console.WriteLine("Type an English number or date (empty line to quit):");
while (true)
{
    if (!Console.IsInputRedirected) Console.Write("> ");
    string? line = Console.ReadLine();
    if (string.IsNullOrWhiteSpace(line)) break;
    var ids = sourceTable.Encode(TranslationCorpus.SourceTokens(line.Trim()));
    if (ids.Length == 0) continue;
    var beamIds = model.TranslateBeam(ids, beamWidth: Math.Max(1, options.Beam), maxLength: 40);
    Console.WriteLine($"{line.Trim()}  →  {targetTable.Decode(beamIds)}");
}
return 0;

// Times a few forward-backward passes on a typical batch (their gradients are overwritten by the first real step).
static long EstimateSteps(Translator model, SentencePairs train, int batchSize, TimeSpan budget)
{
    var batch = train.Batch(Enumerable.Range(0, Math.Min(batchSize, train.Count)).ToArray(), model);
    model.ForwardBackward(batch);
    var timer = Stopwatch.StartNew();
    const int timed = 5;
    for (int i = 0; i < timed; i++) model.ForwardBackward(batch);
    // The optimiser step and the validations take some of the time too.
    double perStep = timer.Elapsed.TotalSeconds / timed * 1.15;
    return Math.Max(2, (long)(budget.TotalSeconds / perStep));
}

(double Accuracy, double Bleu, string[] Outputs) ExactMatch(IReadOnlyList<TranslationPair> pairs, int beam)
{
    var outputs = new string[pairs.Count];
    int correct = 0;
    for (int i = 0; i < pairs.Count; i++)
    {
        var source = Encode(pairs[i]).Source;
        var ids = beam > 1 ? model.TranslateBeam(source, beam, maxLength: 40) : model.Translate(source, maxLength: 40);
        outputs[i] = targetTable.Decode(ids);
        if (outputs[i] == pairs[i].Target) correct++;
    }
    return ((double)correct / pairs.Count, Bleu.Characters(outputs, pairs.Select(p => p.Target).ToArray()), outputs);
}

/// <summary>Reports on the training thread as they come (System.Progress would post them to the thread pool, out of order).</summary>
internal sealed class PrintProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress value) => report(value);
}

internal sealed record Options(double Minutes, int Count, int Seed, int BatchSize, float LearningRate, int Beam, int ValidationSize, int StepsPerValidation, string AttentionPath)
{
    public static Options Parse(string[] args)
    {
        var o = new Options(Minutes: 4, Count: 40000, Seed: 1, BatchSize: 64, LearningRate: 3e-3f, Beam: 4, ValidationSize: 1000, StepsPerValidation: 150, AttentionPath: "attention.png");
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            string value = args[i + 1];
            o = args[i] switch
            {
                "--minutes" => o with { Minutes = double.Parse(value, CultureInfo.InvariantCulture) },
                "--count" => o with { Count = int.Parse(value, CultureInfo.InvariantCulture) },
                "--seed" => o with { Seed = int.Parse(value, CultureInfo.InvariantCulture) },
                "--batch" => o with { BatchSize = int.Parse(value, CultureInfo.InvariantCulture) },
                "--lr" => o with { LearningRate = float.Parse(value, CultureInfo.InvariantCulture) },
                "--beam" => o with { Beam = int.Parse(value, CultureInfo.InvariantCulture) },
                "--validation" => o with { ValidationSize = int.Parse(value, CultureInfo.InvariantCulture) },
                "--validate-every" => o with { StepsPerValidation = int.Parse(value, CultureInfo.InvariantCulture) },
                "--attention" => o with { AttentionPath = value },
                _ => throw new ArgumentException($"Unknown option {args[i]}: use --minutes, --count, --seed, --batch, --lr, --beam, --validation, --validate-every, --attention."),
            };
        }
        return o;
    }
}
