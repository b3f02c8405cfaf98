using CharLm;

namespace RnnGen.CharLm.Tests;

/// <summary>The CLI never ends with a stack trace, and a failure, a second run or a signal loses nothing.</summary>
public class ReliabilityTests
{
    private static CliResult Train(string corpus, string run, params string[] more) =>
        CliRunner.Run(["train", "--text", corpus, "--out", run, .. EndToEndTests.Without(["--epochs", "1", "--length", "10", .. EndToEndTests.TinyTraining], more), .. more]);

    private static Dictionary<string, byte[]> Snapshot(string run) =>
        Directory.EnumerateFiles(run).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    [Fact]
    public void Unexpected_exception_is_an_internal_error_with_where_to_report_it()
    {
        using var dir = new TempDir();
        string corpus = TestCorpus.Write(dir);
        var r = CliRunner.Run(["train", "--text", corpus, "--out", dir.File("run"), "--epochs", "1", .. EndToEndTests.TinyTraining],
            default, new CliHooks(OnProgress: _ => throw new InvalidOperationException("boom")));
        Assert.Equal(ExitCodes.Internal, r.ExitCode);
        Assert.Contains("error: internal error in rnngen: InvalidOperationException: boom", r.Err);
        Assert.Contains("please report it", r.Err);
        Assert.Contains(Cli.IssuesAddress, r.Err);
        Assert.Contains("checkpoint", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.False(File.Exists(Path.Combine(dir.File("run"), RunFolder.LockFile)), "the lock is released");
    }

    [Fact]
    public void Out_under_a_regular_file_names_the_file()
    {
        using var dir = new TempDir();
        string corpus = TestCorpus.Write(dir);
        string file = dir.File("plain");
        File.WriteAllText(file, "not a folder");
        var r = Train(corpus, Path.Combine(file, "run"));
        Assert.Equal(ExitCodes.IO, r.ExitCode);
        Assert.Contains($"--out: cannot create the folder '{Path.Combine(file, "run")}': '{file}' is a file, not a folder", r.Err);
        Assert.Equal("not a folder", File.ReadAllText(file));
    }

    [Fact]
    public void Out_without_permission_names_the_folder()
    {
        if (!OperatingSystem.IsLinux()) return; // file modes and /sys are Linux's
        using var dir = new TempDir();
        string corpus = TestCorpus.Write(dir);
        // Root writes anywhere a file mode allows nothing; sysfs refuses a new folder even to root.
        bool root = Environment.UserName == "root";
        string locked = root ? "/sys/rnngen-test" : dir.File("locked");
        if (!root)
        {
            Directory.CreateDirectory(locked);
            File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        }
        try
        {
            var r = Train(corpus, Path.Combine(locked, "run"));
            Assert.Equal(ExitCodes.IO, r.ExitCode);
            Assert.Contains($"--out: cannot write to the folder '{Path.Combine(locked, "run")}': permission denied", r.Err);
            Assert.False(Directory.Exists(locked) && root);
        }
        finally
        {
            if (!root) File.SetUnixFileMode(locked, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [Fact]
    public void A_real_disk_full_error_is_reported_as_such_naming_the_last_good_checkpoint()
    {
        if (!OperatingSystem.IsLinux()) return; // /dev/full is Linux's
        using var dir = new TempDir();
        string corpus = TestCorpus.Write(dir, sentences: 200);
        string run = dir.File("run");
        // From the third checkpoint on, the kernel answers every write with ENOSPC (/dev/full), as a full disk does.
        AtomicFile.FileSystemForTesting = new FullAfter(writes: 2);
        try
        {
            var r = Train(corpus, run, "--epochs", "3");
            Assert.Equal(ExitCodes.IO, r.ExitCode);
            Assert.Contains("the disk is full", r.Err);
            Assert.Contains($"The last good checkpoint is {Path.Combine(run, "last.safetensors")}", r.Err);
            Assert.DoesNotContain("   at ", r.Err);
            Assert.NotEmpty(SafeTensors.Read(Path.Combine(run, "last.safetensors")).Names);
            Assert.Empty(Directory.GetFiles(run, ".*.tmp"));
        }
        finally
        {
            AtomicFile.FileSystemForTesting = null;
        }
    }

    /// <summary>The real file system for the first <c>writes</c> checkpoints, then /dev/full.</summary>
    private sealed class FullAfter(int writes) : CheckpointFileSystem
    {
        private int _created;

        public override Stream CreateTemporary(string path, int bufferSize)
        {
            var real = base.CreateTemporary(path, bufferSize); // the temporary exists, as it would on a full disk
            if (!path.Contains(".safetensors.", StringComparison.Ordinal) || ++_created <= writes) return real; // run files stay real
            real.Dispose();
            return new FileStream("/dev/full", FileMode.Open, FileAccess.Write, FileShare.ReadWrite, bufferSize);
        }
    }

    [Fact]
    public void Io_error_while_a_checkpoint_is_written_names_the_last_good_checkpoint()
    {
        using var dir = new TempDir();
        string corpus = TestCorpus.Write(dir, sentences: 200);
        string run = dir.File("run");
        string best = Path.Combine(run, "best.safetensors"), last = Path.Combine(run, "last.safetensors");
        // After the first report, last.safetensors cannot be replaced any more (a folder stands in its way): the next write fails.
        var r = CliRunner.Run(["train", "--text", corpus, "--out", run, "--epochs", "3", .. EndToEndTests.TinyTraining], default,
            new CliHooks(OnProgress: _ =>
            {
                if (Directory.Exists(last)) return;
                File.Delete(last);
                Directory.CreateDirectory(Path.Combine(last, "in-the-way"));
            }));
        Assert.Equal(ExitCodes.IO, r.ExitCode);
        Assert.Contains($"could not write the checkpoint {last}", r.Err);
        Assert.Contains($"The last good checkpoint is {best}", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
        Assert.NotEmpty(SafeTensors.Read(best).Names); // whole and readable
    }

    [Fact]
    public void Prompt_accepts_characters_of_several_code_points()
    {
        using var dir = new TempDir();
        string hindi = "क्षि", accent = "e\u0301", family = "👨\u200D👩\u200D👧", crlf = "\r\n";
        string corpus = dir.File("mixed.txt");
        File.WriteAllText(corpus, string.Concat(Enumerable.Repeat($"{TestCorpus.Text(20)} {hindi} {accent} {family}{crlf}", 8)));
        string run = dir.File("run");
        var train = Train(corpus, run);
        Assert.True(train.ExitCode == 0, train.Err + train.Out);
        string prompt = $"{hindi}{accent}{family}{crlf}the";
        var r = CliRunner.Run("sample", "--out", run, "--prompt", prompt, "--length", "5");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.StartsWith(prompt, r.Out);

        var bad = CliRunner.Run("sample", "--out", run, "--prompt", "thé");
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
        Assert.Contains("--prompt: the character 'é' (U+00E9) is not in the model's vocabulary", bad.Err);
    }

    [Fact]
    public void Temperature_too_large_is_blamed_on_temperature()
    {
        var r = CliRunner.Run("sample", "--temperature", "1e39", "--prompt", "x");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("--temperature", r.Err);
        Assert.DoesNotContain("--prompt", r.Err);
    }

    [Fact]
    public void Out_followed_by_an_option_is_an_error_not_a_folder()
    {
        var r = CliRunner.Run("train", "--out", "--resume");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("option '--out' needs a value", r.Err);
        Assert.False(Directory.Exists("--resume"));
    }

    [Fact]
    public void Second_train_on_the_same_out_is_refused_naming_the_first_process()
    {
        using var dir = new TempDir();
        string corpus = TestCorpus.Write(dir);
        string run = dir.File("run");
        using var cts = new CancellationTokenSource();
        CliResult? second = null;
        Dictionary<string, byte[]>? before = null, during = null;
        var first = CliRunner.Run(["train", "--text", corpus, "--out", run, "--epochs", "2", .. EndToEndTests.TinyTraining], cts.Token,
            new CliHooks(OnProgress: _ =>
            {
                if (second is not null) return;
                before = Snapshot(run);
                second = Train(corpus, run, "--overwrite");
                during = Snapshot(run);
                cts.Cancel();
            }));
        Assert.Equal(ExitCodes.Interrupted, first.ExitCode);
        Assert.NotNull(second);
        Assert.Equal(ExitCodes.Busy, second!.ExitCode);
        Assert.Contains($"is in use by another training run (process {Environment.ProcessId})", second.Err);
        Assert.Equal(before!.Keys.Order(), during!.Keys.Order());
        Assert.False(File.Exists(Path.Combine(run, RunFolder.LockFile)), "the lock is released at the end");
        // With the first run over, the folder is free again.
        Assert.Equal(0, CliRunner.Run("train", "--resume", "--out", run, "--epochs", "1", "--length", "5").ExitCode);
    }

    [Fact]
    public void An_existing_run_is_not_overwritten_without_resume_or_overwrite()
    {
        using var dir = new TempDir();
        string corpus = TestCorpus.Write(dir);
        string run = dir.File("run");
        Assert.Equal(0, Train(corpus, run).ExitCode);
        var before = Snapshot(run);

        var r = Train(corpus, run, "--seed", "5");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains($"--out: '{run}' already holds a run (best.safetensors, last.safetensors, loss.csv); continue it with --resume", r.Err);
        Assert.Contains("--overwrite", r.Err);
        var after = Snapshot(run);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (name, bytes) in before) Assert.True(bytes.SequenceEqual(after[name]), $"{name} changed");

        var again = Train(corpus, run, "--overwrite", "--seed", "5");
        Assert.True(again.ExitCode == 0, again.Err);
        Assert.Contains("\"seed\": 5", File.ReadAllText(Path.Combine(run, "run.json")));
    }

    [Theory]
    [InlineData("--model", "lstm-small")]
    [InlineData("--batch", "8")]
    public void Refused_resume_rewrites_nothing(string option, string value)
    {
        using var dir = new TempDir();
        string corpus = TestCorpus.Write(dir, sentences: 300);
        string run = dir.File("run");
        Assert.Equal(0, Train(corpus, run).ExitCode);
        var before = Snapshot(run);

        var r = CliRunner.Run("train", "--resume", "--out", run, option, value, "--epochs", "2", "--length", "5");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("last.safetensors", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
        var after = Snapshot(run);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var (name, bytes) in before) Assert.True(bytes.SequenceEqual(after[name]), $"{name} changed");
    }

    [Fact]
    public void Stale_temporary_files_are_removed_at_start()
    {
        using var dir = new TempDir();
        string corpus = TestCorpus.Write(dir);
        string run = dir.File("run");
        Assert.Equal(0, Train(corpus, run).ExitCode);
        string stale = Path.Combine(run, $".last.safetensors.{Guid.NewGuid():N}.tmp");
        File.WriteAllText(stale, "half a checkpoint");
        string mine = Path.Combine(run, "notes.tmp");
        File.WriteAllText(mine, "not ours");

        var r = CliRunner.Run("train", "--resume", "--out", run, "--epochs", "2", "--length", "5");
        Assert.True(r.ExitCode == 0, r.Err);
        Assert.Contains($"Removed {stale}, left by an interrupted write.", r.Out);
        Assert.False(File.Exists(stale));
        Assert.True(File.Exists(mine));
    }
}
