using System.Globalization;
using RnnGen;
using RnnGen.Datasets;
using RnnGen.Datasets.Plots;
using RnnGen.Text;
using RnnGen.Training;

// Put the spaces back into text whose spaces were removed ("Getsthevalue." → "Gets the value."): a
// bidirectional GRU tags each character with whether a space followed it.
//   dotnet run -c Release --project samples/Tag [-- --minutes 3 --seed 1]
// The lines are windows of prose from the XML documentation of the installed .NET SDK. Trains within the time
// budget, reports token accuracy and the precision, recall and F1 of the "space" tag on a test set, prints
// restored lines next to the originals, and writes tags.png (six lines, each character coloured by P(space after it)).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
double minutes = Option("--minutes", 3);
int seed = (int)Option("--seed", 1);

// Lines of at most 60 characters once the spaces are gone; tag 1 means "a space follows this character".
var (texts, tags) = SpaceRestorationCorpus.Load(count: 16000, maxLength: 60, seed);
int testCount = texts.Count / 10;
var vocab = Vocabulary.Characters(string.Concat(texts.Skip(testCount)),
    new CharacterOptions { SpecialTokens = SpecialTokens.Unknown, MinCount = 3 });
var test = new TaggedSequences(texts.Take(testCount).Select(vocab.Encode).ToList(), tags.Take(testCount).ToList());
var (train, validation) = new TaggedSequences(texts.Skip(testCount).Select(vocab.Encode).ToList(), tags.Skip(testCount).ToList())
    .Split(0.1, seed);
Console.WriteLine($"Lines: {train.Count} train, {validation.Count} validation, {test.Count} test; {vocab.Count} characters.");

var model = new SpaceTagger(vocab.Count, seed);
string best = Path.Combine(Path.GetTempPath(), $"tag-{Environment.ProcessId}.safetensors");
var history = new Trainer(model, new Adam(3e-3f), new TrainingOptions
{
    BatchSize = 32, Epochs = 100, MaxDuration = TimeSpan.FromMinutes(minutes), Seed = seed,
    CheckpointPath = best, Plateau = new ReduceOnPlateau(3e-3f, factor: 0.3f, patience: 1),
    Progress = new PrintValidations(),
}).Fit(train, validation);
Console.WriteLine($"Stopped: {history.StopReason}; best validation accuracy {history.Best!.Metric:P2}.");

// Score the best checkpoint on the test set: every character, and the "space" tag alone.
model.Load(best);
File.Delete(best);
var predicted = model.Predict(test.Tokens);
var pairs = predicted.Zip(test.Tags).SelectMany(p => p.First.Zip(p.Second)).ToList();
int truePositives = pairs.Count(p => p is (1, 1)), predictedSpaces = pairs.Count(p => p.First == 1), spaces = pairs.Count(p => p.Second == 1);
double precision = truePositives / (double)predictedSpaces, recall = truePositives / (double)spaces;
Console.WriteLine($"Test ({test.Count} lines, {pairs.Count} characters):");
Console.WriteLine($"  token accuracy {pairs.Count(p => p.First == p.Second) / (double)pairs.Count:P2} (always 'no space': {1 - spaces / (double)pairs.Count:P2})");
Console.WriteLine($"  space tag: precision {precision:P2}, recall {recall:P2}, F1 {2 * precision * recall / (precision + recall):P2}");
int exact = Enumerable.Range(0, test.Count).Count(i => predicted[i].SequenceEqual(test.Tags[i]));
Console.WriteLine($"  lines restored exactly: {exact / (double)test.Count:P1}");

// Three test lines restored exactly and three with mistakes: printed, and drawn in tags.png.
var examples = Enumerable.Range(0, test.Count).Where(i => predicted[i].SequenceEqual(test.Tags[i])).Take(3)
    .Concat(Enumerable.Range(0, test.Count).Where(i => !predicted[i].SequenceEqual(test.Tags[i])).Take(3)).ToList();
Console.WriteLine("Examples (test set):");
foreach (var (i, k) in examples.Select((i, k) => (i, k + 1)))
{
    string restored = SpaceRestorationCorpus.Restore(texts[i], predicted[i]), original = SpaceRestorationCorpus.Restore(texts[i], tags[i]);
    Console.WriteLine($"  {k}. input:    {texts[i]}\n     restored: {restored}{(restored == original ? "   (exact)" : $"\n     original: {original}")}");
}

// One row per example line, one cell per character, coloured by the probability of a space after it.
var probabilities = model.PredictProbabilities(examples.Select(i => test.Tokens[i]).ToList());
int columns = examples.Max(i => texts[i].Length);
var map = new double[examples.Count, columns];
var letters = new string[examples.Count, columns];
for (int r = 0; r < examples.Count; r++)
    for (int c = 0; c < columns; c++)
        (map[r, c], letters[r, c]) = c < texts[examples[r]].Length ? (probabilities[r][c][1], texts[examples[r]][c].ToString()) : (double.NaN, "");
HeatMapPlot.Save("tags.png", map, letters, examples.Select((_, k) => $"{k + 1}").ToList(),
    Enumerable.Range(1, columns).Select(c => c % 5 == 0 ? $"{c}" : "").ToList(),
    "Space restoration: the probability of a space after each character", "character", "example line", "P(space after it)");
Console.WriteLine("Wrote tags.png");

double Option(string name, double fallback) =>
    Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;

// The model: character embedding, two bidirectional GRU layers, two tags (0: no space after, 1: a space after).
[SequenceTagger(Embedding = 32, Tags = 2, Bidirectional = true)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 64, Dropout = 0.1f)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 64)]
public partial class SpaceTagger;

// Prints each validation the trainer reports.
sealed class PrintValidations : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress p)
    {
        if (p.Validation is { } v)
            Console.WriteLine($"{p.Elapsed:mm\\:ss} epoch {p.Epoch}: train loss {p.Loss:F4}, validation loss {v.ValidationLoss:F4}, {v.MetricName} {v.Metric:P2}");
    }
}
