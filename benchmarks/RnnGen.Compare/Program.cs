using System.Reflection;
using System.Runtime.Loader;

// Before/after on a noisy machine: loads two builds of the benchmark harness side by side in one process
// (each in its own load context, with its own RnnGen.dll) and alternates their training measurements, which
// go first swapping every round, so that both see the same machine at the same moments.
//   dotnet run -c Release --project benchmarks/RnnGen.Compare -- BASE_BIN_DIR MAIN_BIN_DIR [--threads N] [--rounds N] [config ...]
// where each directory holds a built RnnGen.Benchmarks.dll (e.g. a worktree of an older commit's
// benchmarks/RnnGen.Benchmarks/bin/Release/net10.0/). --threads sets both builds' thread count
// (RnnGen.Parallelism.MaxThreads, or Gemm.MaxThreads in builds from before that setting).
// (--rounds: how many alternating rounds, 6 unless given.)
int threads = 0, rounds = 6;
foreach (var (option, set) in new (string, Action<int>)[] { ("--threads", v => threads = v), ("--rounds", v => rounds = v) })
{
    int at = Array.IndexOf(args, option);
    if (at < 0) continue;
    if (at + 1 >= args.Length || !int.TryParse(args[at + 1], out int value) || value < 1)
    {
        Console.Error.WriteLine($"{option} takes a positive whole number.");
        return 2;
    }
    set(value);
    args = [.. args[..at], .. args[(at + 2)..]];
}
if (args.Length < 2)
{
    Console.Error.WriteLine("Usage: RnnGen.Compare BASE_BIN_DIR MAIN_BIN_DIR [--threads N] [--rounds N] [config ...]  (configs: gru-128, gru-512, lstm-512x2, word-lstm)");
    return 2;
}
var sides = new (string Name, Func<string, int, double> Measure)[] { ("base", Load(args[0], threads)), ("main", Load(args[1], threads)) };
string[] configs = args.Length > 2 ? args[2..] : ["lstm-512x2", "gru-512", "gru-128"];
var results = new Dictionary<(string, string), List<double>>();
for (int round = 0; round < rounds; round++)
    foreach (var config in configs)
        for (int i = 0; i < 2; i++)
        {
            var side = sides[(round + i) % 2]; // alternate which goes first
            double tokens = side.Measure(config, 3);
            (results.TryGetValue((config, side.Name), out var list) ? list : results[(config, side.Name)] = []).Add(tokens);
            Console.WriteLine($"round {round + 1} {config} {side.Name} {tokens:F0}");
        }
foreach (var config in configs)
{
    var b = results[(config, "base")]; var m = results[(config, "main")];
    var ratios = b.Zip(m, (x, y) => y / x).Order().ToList();
    double Median(List<double> v) { var s = v.Order().ToList(); return s.Count % 2 == 1 ? s[s.Count / 2] : (s[s.Count / 2 - 1] + s[s.Count / 2]) / 2; }
    Console.WriteLine($"{config}: base median {Median(b):F0}, main median {Median(m):F0}, paired main/base median {Median(ratios):F3} (range {ratios[0]:F2}-{ratios[^1]:F2})");
}
return 0;

static Func<string, int, double> Load(string dir, int threads)
{
    dir = Path.GetFullPath(dir); // load contexts take absolute paths only
    if (!File.Exists(Path.Combine(dir, "RnnGen.Benchmarks.dll"))) throw new FileNotFoundException($"{dir} holds no RnnGen.Benchmarks.dll: build the harness there first.");
    var context = new DirectoryContext(dir);
    var assembly = context.LoadFromAssemblyPath(Path.Combine(dir, "RnnGen.Benchmarks.dll"));
    if (threads > 0)
    {
        var runtime = context.LoadFromAssemblyPath(Path.Combine(dir, "RnnGen.dll"));
        var setting = (runtime.GetType("RnnGen.Parallelism") ?? runtime.GetType("RnnGen.Kernels.Gemm"))!.GetProperty("MaxThreads")!;
        setting.SetValue(null, threads);
        Console.WriteLine($"{dir}: {setting.DeclaringType!.FullName}.MaxThreads = {setting.GetValue(null)}");
    }
    var harness = assembly.GetType("RnnGen.Benchmarks.TrainingHarness")!;
    var references = (Array)harness.GetField("References")!.GetValue(null)!;
    var measure = harness.GetMethod("Measure")!;
    return (name, repeats) =>
    {
        foreach (var c in references)
            if ((string)c!.GetType().GetProperty("Name")!.GetValue(c)! == name)
            {
                var figures = measure.Invoke(null, [c, repeats])!;
                return (double)figures.GetType().GetProperty("TrainTokensPerSecond")!.GetValue(figures)!;
            }
        throw new ArgumentException(name);
    };
}

sealed class DirectoryContext(string dir) : AssemblyLoadContext(isCollectible: false)
{
    protected override Assembly? Load(AssemblyName name)
    {
        string path = Path.Combine(dir, name.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
