using System.Globalization;

namespace RnnGen.Distributed.Worker;

/// <summary>Which model a run trains, and how far.</summary>
public enum Topology { LanguageModel, Classifier, Tagger }

/// <summary>One training run of a distributed test: the same data and model for every rank count.</summary>
/// <param name="Batch">The global batch.</param>
/// <param name="MaxSteps">Stop after this many steps (a budget, which writes the last checkpoint), or run every step.</param>
/// <param name="Resume">Continue from the last checkpoint in the folder.</param>
public sealed record Scenario(Topology Topology, int Batch, int? MaxSteps = null, bool Resume = false)
{
    /// <summary>Windows of the language model's epoch, and batches of the sequence tasks' two epochs: 50 steps in all.</summary>
    public const int Steps = 50;
    public const int LanguageModelSteps = 8, Vocab = 12;
    /// <summary>Not a multiple of the batch: the last batch of each epoch is short, and its rows split unevenly.</summary>
    public const int Sequences = 785;

    public string CheckpointName => "last.safetensors";

    /// <summary>Trains, recording each step's loss; returns them and the final parameters.</summary>
    public Outcome Run(string folder, ICommunicator? communicator)
    {
        var losses = new List<float>();
        var options = new TrainingOptions
        {
            BatchSize = Batch,
            Steps = LanguageModelSteps,
            Epochs = Topology == Topology.LanguageModel ? 1 : 2,
            ClipNorm = 1f, // small enough to clip: clipping must come after the reduction
            ValidationsPerEpoch = 5,
            LastCheckpointPath = Path.Combine(folder, CheckpointName),
            CheckpointPath = Path.Combine(folder, "best.safetensors"),
            ResumeFrom = Resume ? Path.Combine(folder, CheckpointName) : null,
            MaxTokens = MaxSteps is { } steps ? TokensOf(steps) : null,
            Communicator = communicator,
            Progress = new Recorder(losses),
            ProgressInterval = TimeSpan.Zero,
            Seed = 5,
        };
        ITrainable model;
        var optimizer = new Adam(0.01f);
        switch (Topology)
        {
            case Topology.LanguageModel:
            {
                var lm = new TestLanguageModel(Vocab, seed: 3);
                var (train, validation) = Tokens();
                new Trainer(lm, optimizer, options).Fit(train, validation);
                model = lm;
                break;
            }
            case Topology.Classifier:
            {
                var classifier = new TestClassifier(Vocab, seed: 3);
                var (tokens, labels) = Labeled();
                var data = new LabeledSequences(tokens, labels);
                var validation = new LabeledSequences(tokens[..60], labels[..60]);
                new Trainer(classifier, optimizer, options).Fit(data, validation);
                model = classifier;
                break;
            }
            default:
            {
                var tagger = new TestTagger(Vocab, seed: 3);
                var (tokens, tags) = Tagged();
                var data = new TaggedSequences(tokens, tags);
                var validation = new TaggedSequences(tokens[..60], tags[..60]);
                new Trainer(tagger, optimizer, options).Fit(data, validation);
                model = tagger;
                break;
            }
        }
        var values = model.Parameters.SelectMany(p => p.Value.ToArray()).ToArray();
        return new Outcome(losses.ToArray(), values);
    }

    /// <summary>The token budget of <paramref name="steps"/> steps; for the sequence tasks, the tokens of their first batches.</summary>
    private long TokensOf(int steps)
    {
        if (Topology == Topology.LanguageModel) return (long)steps * Batch * LanguageModelSteps;
        // Sequence batches differ in length: count the tokens of the first batches of epoch 1 as the trainer will.
        var lengths = (Topology == Topology.Classifier ? Labeled().Tokens : Tagged().Tokens).Select(t => t.Length).ToArray();
        var data = new LengthsOnly(lengths);
        return data.Epoch(Batch, 1, 5).Take(steps).Sum(b => data.Steps(b));
    }

    private (int[] Train, int[] Validation) Tokens()
    {
        // A text with structure to learn (runs of rising ids) and noise, from a fixed seed.
        var random = new Random(17);
        var tokens = new int[Steps * Batch * LanguageModelSteps + 1 + 400];
        for (int i = 0; i < tokens.Length; i++)
            tokens[i] = random.Next(5) == 0 ? random.Next(Vocab) : (i > 0 ? (tokens[i - 1] + 1) % Vocab : 0);
        int train = Steps * Batch * LanguageModelSteps + 1;
        return (tokens[..train], tokens[train..]);
    }

    private static (int[][] Tokens, int[] Labels) Labeled()
    {
        var random = new Random(23);
        var tokens = new int[Sequences][];
        var labels = new int[Sequences];
        for (int i = 0; i < Sequences; i++)
        {
            tokens[i] = Enumerable.Range(0, random.Next(3, 13)).Select(_ => random.Next(Vocab)).ToArray();
            labels[i] = tokens[i].Max() % 3; // a label the sequence determines, which mean pooling can read
        }
        return (tokens, labels);
    }

    private static (int[][] Tokens, int[][] Tags) Tagged()
    {
        var random = new Random(29);
        var tokens = new int[Sequences][];
        var tags = new int[Sequences][];
        for (int i = 0; i < Sequences; i++)
        {
            tokens[i] = Enumerable.Range(0, random.Next(2, 15)).Select(_ => random.Next(Vocab)).ToArray();
            tags[i] = tokens[i].Select((t, k) => (t + (k > 0 ? tokens[i][k - 1] : 0)) % 4).ToArray();
        }
        return (tokens, tags);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Topology} batch {Batch}");

    /// <summary>Lengths alone, to count a budget's tokens the way the trainer's data set does.</summary>
    private sealed class LengthsOnly(int[] lengths) : SequenceDataset<int>(lengths)
    {
        public override int Batch(IReadOnlyList<int> indices) => 0;
    }

    /// <summary>Each report's step loss, synchronously (Progress&lt;T&gt; would post it elsewhere).</summary>
    private sealed class Recorder(List<float> losses) : IProgress<TrainingProgress>
    {
        private long _last;

        public void Report(TrainingProgress value)
        {
            if (value.Step == _last) return; // a validation's report repeats its step
            _last = value.Step;
            losses.Add(value.StepLoss);
        }
    }
}

/// <summary>What a run gives: the loss of every step it reported (rank 0 only) and the final parameters.</summary>
public sealed record Outcome(float[] Losses, float[] Parameters);
