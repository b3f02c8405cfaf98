using System.Diagnostics;
using System.Globalization;

namespace RnnGen.CharLm.Tests;

/// <summary>
/// The CLI as a child process, stopped from outside: SIGKILL at random moments, again and again, resuming each time
/// (every checkpoint on disk loads at every moment, and every resume continues where the last checkpoint was), and
/// SIGTERM, which must save and exit like Ctrl+C.
/// </summary>
public class CrashTests
{
    private static string ChildDll()
    {
        string dll = System.IO.Path.Combine(AppContext.BaseDirectory, "CharLm.dll");
        Assert.True(File.Exists(dll) && File.Exists(System.IO.Path.ChangeExtension(dll, ".runtimeconfig.json")), $"the CLI is not beside the tests: {dll}");
        return dll;
    }

    /// <summary>A running CLI whose output is collected.</summary>
    private sealed class Child : IDisposable
    {
        private readonly System.Text.StringBuilder _out = new(), _err = new();
        public Process Process { get; }

        public Child(IEnumerable<string> args)
        {
            var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            info.ArgumentList.Add(ChildDll());
            foreach (var a in args) info.ArgumentList.Add(a);
            Process = Process.Start(info) ?? throw new InvalidOperationException("the CLI did not start");
            Process.OutputDataReceived += (_, e) => { lock (_out) _out.AppendLine(e.Data); };
            Process.ErrorDataReceived += (_, e) => { lock (_err) _err.AppendLine(e.Data); };
            Process.BeginOutputReadLine();
            Process.BeginErrorReadLine();
        }

        public string Out { get { lock (_out) return _out.ToString(); } }
        public string Err { get { lock (_err) return _err.ToString(); } }

        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.WaitForExit(); // gone, lock and all, before the next run starts
            Process.Dispose();
        }
    }

    private static void WaitFor(Func<bool> condition, Child child, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (child.Process.HasExited) Assert.Fail($"the CLI exited ({child.Process.ExitCode}) before {what}: {child.Err}{child.Out}");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"no {what} after 90 s: {child.Err}{child.Out}");
            Thread.Sleep(20);
        }
    }

    private static long TokensIn(string checkpoint) =>
        long.Parse(SafeTensors.Read(checkpoint).Metadata["rnngen.trainer.tokens"], CultureInfo.InvariantCulture);

    private static void AllCheckpointsLoad(string run)
    {
        foreach (var file in Directory.GetFiles(run, "*.safetensors"))
        {
            if (System.IO.Path.GetFileName(file).StartsWith('.')) continue; // a temporary file a kill left behind
            Assert.True(SafeTensors.Read(file).Count > 0, file);
        }
    }

    [Fact]
    public void Checkpoints_survive_sigkill_at_random_moments_and_every_resume_continues()
    {
        if (OperatingSystem.IsWindows()) return; // no SIGKILL semantics to test there
        using var dir = new TempDir();
        string corpus = TestCorpus.Write(dir, sentences: 200);
        string run = dir.File("run");
        string last = System.IO.Path.Combine(run, "last.safetensors");
        var random = new Random(7);

        // A fresh run, killed once it has written its first checkpoint.
        using (var first = new Child(["train", "--text", corpus, "--out", run, "--epochs", "1000", .. EndToEndTests.TinyTraining]))
        {
            WaitFor(() => File.Exists(last), first, "checkpoint");
            Thread.Sleep(random.Next(0, 300));
        }
        AllCheckpointsLoad(run);
        long tokens = TokensIn(last);

        int kills = 0;
        for (int i = 0; i < 8; i++)
        {
            using (var child = new Child(["train", "--resume", "--out", run, "--epochs", "1000"]))
            {
                Thread.Sleep(random.Next(50, 800));
                if (!child.Process.HasExited) kills++;
                else Assert.Fail($"a resumed run ended by itself ({child.Process.ExitCode}): {child.Err}");
            } // disposing kills it (SIGKILL)
            AllCheckpointsLoad(run);
            long now = TokensIn(last);
            Assert.True(now >= tokens, $"after kill {i}, the last checkpoint went back from {tokens} to {now} characters");
            tokens = now;
        }
        Assert.Equal(8, kills);

        var resumed = CliRunner.Run("train", "--resume", "--out", run, "--epochs", "1000", "--minutes", "0.05");
        Assert.True(resumed.ExitCode == 0, resumed.Err + resumed.Out);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"continuing after {tokens:N0} characters"), resumed.Out);
        AllCheckpointsLoad(run);
        Assert.True(TokensIn(last) > tokens, $"{TokensIn(last)} > {tokens}");
    }

    [Fact]
    public void Sigterm_saves_a_checkpoint_and_exits_143_like_ctrl_c()
    {
        if (OperatingSystem.IsWindows()) return; // no SIGTERM there
        using var dir = new TempDir();
        string corpus = TestCorpus.Write(dir, sentences: 200);
        string run = dir.File("run");
        string last = System.IO.Path.Combine(run, "last.safetensors");

        using var child = new Child(["train", "--text", corpus, "--out", run, "--epochs", "1000", .. EndToEndTests.TinyTraining]);
        WaitFor(() => File.Exists(last), child, "checkpoint");
        long before = TokensIn(last);
        using (var kill = Process.Start("kill", ["-TERM", child.Process.Id.ToString(CultureInfo.InvariantCulture)])) kill.WaitForExit();
        Assert.True(child.Process.WaitForExit(TimeSpan.FromSeconds(60)), "the CLI did not stop within 60 s of SIGTERM");
        child.Process.WaitForExit(); // the output readers drain

        Assert.Equal(143, child.Process.ExitCode);
        Assert.Contains("SIGTERM: stopping after this window and saving a checkpoint", child.Err);
        Assert.Contains($"saved {last}", child.Out);
        AllCheckpointsLoad(run);
        Assert.True(TokensIn(last) > before, "the checkpoint written on SIGTERM is newer than the one before it");

        var resumed = CliRunner.Run("train", "--resume", "--out", run, "--epochs", "1000", "--minutes", "0.02");
        Assert.True(resumed.ExitCode == 0, resumed.Err + resumed.Out);
    }
}
