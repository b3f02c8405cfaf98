using System.Globalization;
using RnnGen;
using RnnGen.Datasets;
using RnnGen.Datasets.Plots;
using RnnGen.Text;
using RnnGen.Training;

// Which kind of .NET API member does a documentation summary describe? Type, constructor, method, property,
// field or event, read from the summary's characters by a bidirectional GRU with mean pooling.
//   dotnet run -c Release --project samples/Classify [-- --minutes 3 --seed 1]
// The summaries come from the XML documentation of the installed .NET SDK. Trains within the time budget,
// reports validation accuracy as it goes, then test accuracy, per-class recall and a few predictions with their
// probabilities, and writes confusion.png (the test set's confusion matrix).
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
double minutes = Option("--minutes", 3);
int seed = (int)Option("--seed", 1);

// Up to 3,500 summaries per class (the SDK documents only ~135 events). Split each class 75/10/15 so that
// validation and test hold every class in its share.
var (texts, labels, classNames) = MemberKindCorpus.Load(maxPerClass: 3500, seed);
var parts = Enumerable.Range(0, texts.Count)
    .GroupBy(i => labels[i])
    .SelectMany(g => g.Select((index, rank) => (index, part: rank < g.Count() * 0.15 ? "test" : rank < g.Count() * 0.25 ? "validation" : "train")))
    .ToLookup(x => x.part, x => x.index);

// Characters of the training texts; one seen fewer than 3 times, or never, encodes as <unk>.
var vocab = Vocabulary.Characters(string.Concat(parts["train"].Select(i => texts[i])),
    new CharacterOptions { SpecialTokens = SpecialTokens.Unknown, MinCount = 3 });
LabeledSequences Data(IEnumerable<int> indices) =>
    new(indices.Select(i => vocab.Encode(texts[i])).ToList(), indices.Select(i => labels[i]).ToList());

// Balance the training set a little: the ~100 training summaries of events are seen 5 times an epoch.
var trainIndices = parts["train"].ToList();
trainIndices.AddRange(Enumerable.Repeat(trainIndices.Where(i => classNames[labels[i]] == "event").ToList(), 4).SelectMany(x => x));
var train = Data(trainIndices);
var validation = Data(parts["validation"]);
var test = Data(parts["test"]);
Console.WriteLine($"Summaries: {train.Count} train (events repeated), {validation.Count} validation, {test.Count} test; {vocab.Count} characters.");

var model = new MemberKindClassifier(vocab.Count, seed);
string best = Path.Combine(Path.GetTempPath(), $"classify-{Environment.ProcessId}.safetensors");
var history = new Trainer(model, new Adam(3e-3f), new TrainingOptions
{
    BatchSize = 32, Epochs = 100, MaxDuration = TimeSpan.FromMinutes(minutes), Seed = seed, EarlyStoppingPatience = 4,
    CheckpointPath = best, Plateau = new ReduceOnPlateau(3e-3f, factor: 0.3f, patience: 1),
    Progress = new PrintValidations(),
}).Fit(train, validation);
Console.WriteLine($"Stopped: {history.StopReason}; best validation accuracy {history.Best!.Metric:P1}.");

// Evaluate the best checkpoint on the test set.
model.Load(best);
File.Delete(best);
var predicted = model.Predict(test.Tokens);
var confusion = new int[classNames.Count, classNames.Count];
for (int i = 0; i < test.Count; i++) confusion[test.Labels[i], predicted[i]]++;
int correct = Enumerable.Range(0, classNames.Count).Sum(c => confusion[c, c]);
Console.WriteLine($"Test accuracy: {correct / (double)test.Count:P1} of {test.Count} (always 'method' would get {test.Labels.Count(l => l == 2) / (double)test.Count:P1}).");
for (int c = 0; c < classNames.Count; c++)
{
    int total = Enumerable.Range(0, classNames.Count).Sum(p => confusion[c, p]);
    Console.WriteLine($"  recall {classNames[c],-12} {confusion[c, c] / (double)total,6:P1} of {total}");
}

Console.WriteLine("Examples (test set):");
var examples = Enumerable.Range(0, classNames.Count).Select(c => parts["test"].First(i => labels[i] == c)).ToList();
var probabilities = model.PredictProbabilities(examples.Select(i => vocab.Encode(texts[i])).ToList());
for (int e = 0; e < examples.Count; e++)
{
    string top = string.Join(", ", probabilities[e].Select((p, c) => (p, c)).OrderByDescending(x => x.p).Take(2)
        .Select(x => $"{classNames[x.c]} {x.p:P0}"));
    string text = texts[examples[e]];
    Console.WriteLine($"  [{classNames[labels[examples[e]]]}] {(text.Length > 70 ? text[..70] + "…" : text)}\n      → {top}");
}

ConfusionMatrixPlot.Save("confusion.png", confusion, classNames, "Member kind from summary text, test set");
Console.WriteLine("Wrote confusion.png");

double Option(string name, double fallback) =>
    Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? double.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;

// The model: character embedding, one bidirectional GRU layer, the mean of its outputs, six classes.
[SequenceClassifier(Embedding = 32, Classes = 6, Pooling = Pooling.Mean, Bidirectional = true)]
[Layer(typeof(RnnGen.Cells.Gru), Hidden = 64, Dropout = 0.1f)]
public partial class MemberKindClassifier;

// Prints each validation the trainer reports.
sealed class PrintValidations : IProgress<TrainingProgress>
{
    public void Report(TrainingProgress p)
    {
        if (p.Validation is { } v)
            Console.WriteLine($"{p.Elapsed:mm\\:ss} epoch {p.Epoch}: train loss {p.Loss:F3}, validation loss {v.ValidationLoss:F3}, {v.MetricName} {v.Metric:P1}");
    }
}
