using System.Diagnostics;

namespace RnnGen.CharLm.Tests;

/// <summary>
/// The CLI, as a child process, on real small file systems: a read-only one and a tiny one that fills up during
/// training. Each is a tmpfs mounted in a private mount namespace (unshare -m), which needs root or CAP_SYS_ADMIN;
/// where that is not allowed the test has nothing to run on and returns (the in-process disk-full tests, with the
/// kernel's own ENOSPC from /dev/full, run everywhere).
/// </summary>
public class RealFileSystemTests
{
    private static bool CanMount()
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            using var p = Process.Start(new ProcessStartInfo("unshare", ["-m", "true"]) { RedirectStandardError = true, UseShellExecute = false });
            p!.WaitForExit();
            return p.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>Runs the CLI with a tmpfs mounted on <paramref name="mountPoint"/> (options <paramref name="mount"/>).</summary>
    private static (int ExitCode, string Out, string Err, string[] Left) RunOnTmpfs(string mountPoint, string mount, params string[] args)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "CharLm.dll");
        string quoted = string.Join(' ', args.Select(a => "'" + a.Replace("'", "'\\''") + "'"));
        // The listing is taken inside the namespace, before the mount disappears with it.
        string script = $"mount -t tmpfs -o {mount} tmpfs '{mountPoint}' || exit 99; dotnet '{dll}' {quoted}; code=$?; " +
                        $"ls -A '{mountPoint}/run' 2>/dev/null | sed 's/^/left: /' >&2; exit $code";
        var info = new ProcessStartInfo("unshare", ["-m", "sh", "-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var p = Process.Start(info)!;
        var output = p.StandardOutput.ReadToEndAsync();
        string err = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.NotEqual(99, p.ExitCode);
        var left = err.Split('\n').Where(l => l.StartsWith("left: ", StringComparison.Ordinal)).Select(l => l[6..]).ToArray();
        return (p.ExitCode, output.Result, err, left);
    }

    [Fact]
    public void A_read_only_file_system_is_named_as_such()
    {
        if (!CanMount()) return;
        using var dir = new TempDir();
        string corpus = TestCorpus.Write(dir);
        string mountPoint = dir.File("ro");
        Directory.CreateDirectory(mountPoint);
        var r = RunOnTmpfs(mountPoint, "ro", ["train", "--text", corpus, "--out", Path.Combine(mountPoint, "run"), "--epochs", "1", .. EndToEndTests.TinyTraining]);
        Assert.Equal(4, r.ExitCode);
        Assert.Contains($"--out: cannot write to the folder '{Path.Combine(mountPoint, "run")}': it is on a read-only file system", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Fact]
    public void A_disk_that_fills_up_during_training_ends_the_run_with_the_last_good_checkpoint_named()
    {
        if (!CanMount()) return;
        using var dir = new TempDir();
        string corpus = TestCorpus.Write(dir, sentences: 200);
        string mountPoint = dir.File("small");
        Directory.CreateDirectory(mountPoint);
        // A tmpfs of 160 KB holds the run files and a checkpoint or two of gru-tiny; a later checkpoint write fills it.
        var r = RunOnTmpfs(mountPoint, "size=160k", ["train", "--text", corpus, "--out", Path.Combine(mountPoint, "run"), "--epochs", "20", .. EndToEndTests.TinyTraining]);
        Assert.True(r.ExitCode == 4, r.Err + r.Out);
        Assert.Contains("the disk is full", r.Err);
        Assert.Matches("The last good checkpoint is .*(last|best)\\.safetensors", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.DoesNotContain(r.Left, f => f.EndsWith(".tmp", StringComparison.Ordinal)); // no temporary left behind
        Assert.Contains(r.Left, f => f.EndsWith(".safetensors", StringComparison.Ordinal)); // the one named above, still there
    }
}
