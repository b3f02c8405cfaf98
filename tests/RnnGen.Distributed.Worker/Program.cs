using System.Globalization;
using RnnGen.Distributed;
using RnnGen.Distributed.Worker;

// Usage: worker <lm|classifier|tagger> <folder> <batch> [--distributed] [--max-steps N] [--resume] [--kill-rank R --kill-step S]
// Rank 0 writes <folder>/losses.txt (one loss per step, round-trip format); every rank writes
// <folder>/parameters.rank<R>.bin (its final parameters, float32 little-endian).
var topology = args[0] switch
{
    "lm" => Topology.LanguageModel,
    "classifier" => Topology.Classifier,
    "tagger" => Topology.Tagger,
    _ => throw new ArgumentException($"unknown topology '{args[0]}'"),
};
string folder = args[1];
int batch = int.Parse(args[2], CultureInfo.InvariantCulture);
string? Value(string name) => Array.IndexOf(args, name) is var i and >= 0 ? args[i + 1] : null;
int? maxSteps = Value("--max-steps") is { } m ? int.Parse(m, CultureInfo.InvariantCulture) : null;
var scenario = new Scenario(topology, batch, maxSteps, args.Contains("--resume"));

using var world = args.Contains("--distributed") ? MpiCommunicator.World : null;
ICommunicator? communicator = world;
if (world is not null && Value("--kill-rank") is { } killRank)
{
    var victim = int.Parse(killRank, CultureInfo.InvariantCulture);
    communicator = new KillingCommunicator(world, victim, int.Parse(Value("--kill-step")!, CultureInfo.InvariantCulture));
}
var outcome = scenario.Run(folder, communicator);
int rank = communicator?.Rank ?? 0;
if (rank == 0) File.WriteAllLines(Path.Combine(folder, "losses.txt"), outcome.Losses.Select(l => l.ToString("R", CultureInfo.InvariantCulture)));
File.WriteAllBytes(Path.Combine(folder, $"parameters.rank{rank}.bin"), System.Runtime.InteropServices.MemoryMarshal.AsBytes(outcome.Parameters.AsSpan()).ToArray());
return 0;
