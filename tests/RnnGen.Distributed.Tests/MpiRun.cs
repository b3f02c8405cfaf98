using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

// Two mpirun jobs at once would share two cores four ways: the tests of this assembly run one after another.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace RnnGen.Distributed.Tests;

/// <summary>Starts the worker under <c>mpirun --allow-run-as-root --oversubscribe -np N</c> and reads back what it wrote.</summary>
internal static class MpiRun
{
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(5);

    /// <summary>Runs the worker on <paramref name="ranks"/> ranks; returns mpirun's exit code and everything the job wrote.</summary>
    public static (int ExitCode, string Output) Worker(int ranks, params string[] arguments) =>
        Start(ranks, typeof(Scenario).Assembly.Location, arguments);

    /// <summary>Runs the rnngen command line on <paramref name="ranks"/> ranks.</summary>
    public static (int ExitCode, string Output) Rnngen(int ranks, params string[] arguments) =>
        Start(ranks, typeof(CharLm.Cli).Assembly.Location, arguments);

    /// <summary>
    /// Runs the rnngen command line on <paramref name="ranks"/> ranks and sends mpirun SIGTERM once a line of its
    /// output contains <paramref name="signalAfter"/>, as Ctrl+C or a scheduler would.
    /// </summary>
    public static (int ExitCode, string Output) RnngenTerminated(int ranks, string signalAfter, params string[] arguments)
    {
        using var process = new Process { StartInfo = StartInfo(ranks, typeof(CharLm.Cli).Assembly.Location, arguments) };
        var output = new System.Text.StringBuilder();
        bool signalled = false;
        void Line(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (output)
            {
                output.AppendLine(e.Data);
                if (signalled || !e.Data.Contains(signalAfter, StringComparison.Ordinal)) return;
                signalled = true;
            }
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
        }
        process.OutputDataReceived += Line;
        process.ErrorDataReceived += Line;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mpirun rnngen {string.Join(' ', arguments)} did not end within {Limit}: {output}");
        }
        process.WaitForExit(); // the rest of the output
        lock (output) return (process.ExitCode, output.ToString());
    }

    private static ProcessStartInfo StartInfo(int ranks, string program, string[] arguments)
    {
        string mpirun = Find("mpirun") ?? throw new InvalidOperationException(
            "mpirun is not on PATH: the distributed tests need Open MPI (apt-get install openmpi-bin libopenmpi-dev; .ci/run installs it).");
        var start = new ProcessStartInfo(mpirun)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])["--allow-run-as-root", "--oversubscribe", "-np", ranks.ToString(CultureInfo.InvariantCulture),
                     "dotnet", program, .. arguments])
            start.ArgumentList.Add(a);
        return start;
    }

    private static (int ExitCode, string Output) Start(int ranks, string program, string[] arguments)
    {
        using var process = Process.Start(StartInfo(ranks, program, arguments))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(Limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"mpirun {string.Join(' ', arguments)} did not end within {Limit}: {error.Result}");
        }
        return (process.ExitCode, output.Result + error.Result);
    }

    /// <summary>Runs the worker and fails with its output unless the job succeeds.</summary>
    public static void Succeeds(int ranks, params string[] arguments)
    {
        var (code, output) = Worker(ranks, arguments);
        Assert.True(code == 0, $"mpirun -np {ranks} worker {string.Join(' ', arguments)} exited with {code}:\n{output}");
    }

    /// <summary>The per-step losses and every rank's final parameters that a worker left in <paramref name="folder"/>.</summary>
    public static (float[] Losses, float[][] Parameters) Read(string folder, int ranks)
    {
        var losses = File.ReadAllLines(Path.Combine(folder, "losses.txt")).Select(l => float.Parse(l, CultureInfo.InvariantCulture)).ToArray();
        var parameters = Enumerable.Range(0, ranks)
            .Select(r => MemoryMarshal.Cast<byte, float>(File.ReadAllBytes(Path.Combine(folder, $"parameters.rank{r}.bin"))).ToArray())
            .ToArray();
        return (losses, parameters);
    }

    private static string? Find(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);
}

/// <summary>A folder of its own for one run, removed afterwards.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder() => Directory.CreateDirectory(Path);
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "rnngen-mpi-" + Guid.NewGuid().ToString("N"));
    public static implicit operator string(TempFolder f) => f.Path;
    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }
}
