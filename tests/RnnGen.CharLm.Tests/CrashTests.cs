using System.Diagnostics;

namespace RnnGen.CharLm.Tests;

/// <summary>
/// Kills a training child process (the CLI, SIGKILL) at random moments, again and again, resuming each time: every
/// checkpoint on disk must load at every moment, and a resume must continue. Skipped where no child process can run.
/// </summary>
public class CrashTests
{
    private static string? ChildDll()
    {
        string dll = System.IO.Path.Combine(AppContext.BaseDirectory, "CharLm.dll");
        string config = System.IO.Path.Combine(AppContext.BaseDirectory, "CharLm.runtimeconfig.json");
        return File.Exists(dll) && File.Exists(config) && !OperatingSystem.IsBrowser() ? dll : null;
    }

    private static Process? Start(string dll, IEnumerable<string> args)
    {
        var info = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (!(Environment.ProcessPath ?? "").EndsWith("dotnet", StringComparison.Ordinal)) info.FileName = "dotnet";
        info.ArgumentList.Add(dll);
        foreach (var a in args) info.ArgumentList.Add(a);
        try
        {
            var p = Process.Start(info);
            if (p is null) return null;
            p.OutputDataReceived += (_, _) => { };
            p.ErrorDataReceived += (_, _) => { };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            return p;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }

    private static void AllCheckpointsLoad(string run)
    {
        if (!Directory.Exists(run)) return;
        foreach (var file in Directory.GetFiles(run, "*.safetensors"))
        {
            if (System.IO.Path.GetFileName(file).StartsWith('.')) continue; // a temporary file a kill left behind
            var read = SafeTensors.Read(file);
            Assert.True(read.Count > 0, file);
        }
    }

    [Fact]
    public void Checkpoints_survive_sigkill_at_random_moments_and_training_resumes()
    {
        string? dll = ChildDll();
        if (dll is null || OperatingSystem.IsWindows()) return; // cannot run a child here: nothing to check
        using var dir = new TempDir();
        string corpus = TestCorpus.Write(dir, sentences: 200);
        string run = dir.File("run");
        string last = System.IO.Path.Combine(run, "last.safetensors");
        var random = new Random(7);
        var clock = Stopwatch.StartNew();
        int kills = 0;
        for (int i = 0; i < 10 && clock.Elapsed < TimeSpan.FromSeconds(20); i++)
        {
            string[] args = File.Exists(last) && File.Exists(System.IO.Path.Combine(run, "run.json"))
                ? ["train", "--resume", "--out", run, "--epochs", "1000"]
                : ["train", "--text", corpus, "--out", run, "--epochs", "1000", .. EndToEndTests.TinyTraining];
            using var child = Start(dll, args);
            if (child is null) return;
            Thread.Sleep(random.Next(50, 501) + (i == 0 ? 1500 : 0)); // the first run gets time to write a checkpoint
            if (!child.HasExited)
            {
                child.Kill(entireProcessTree: true);
                kills++;
            }
            child.WaitForExit();
            AllCheckpointsLoad(run);
        }
        Assert.True(kills > 0);
        if (!File.Exists(last)) return; // no run lived long enough to write one: nothing more to check
        long tokensBefore = long.Parse(SafeTensors.Read(last).Metadata["rnngen.trainer.tokens"], System.Globalization.CultureInfo.InvariantCulture);
        var resumed = CliRunner.Run("train", "--resume", "--out", run, "--epochs", "1000", "--minutes", "0.05");
        Assert.True(resumed.ExitCode == 0, resumed.Err + resumed.Out);
        AllCheckpointsLoad(run);
        long tokensAfter = long.Parse(SafeTensors.Read(last).Metadata["rnngen.trainer.tokens"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(tokensAfter > tokensBefore, $"{tokensAfter} > {tokensBefore}");
    }
}
