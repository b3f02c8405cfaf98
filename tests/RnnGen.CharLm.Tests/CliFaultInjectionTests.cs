using CharLm;

namespace RnnGen.CharLm.Tests;

/// <summary>
/// In the spirit of SQLite's I/O error tests, for a whole <c>rnngen train</c>: a disk-full error injected at every
/// file operation of the run in turn (the create, writes, flush, close and rename of each checkpoint and of run.json,
/// vocab.json and loss.csv, and each row appended to loss.csv), and each time the run ends with exit code 4 and a
/// message that says the disk is full and names the last good checkpoint, every checkpoint left on disk loads, no
/// temporary file is left, and the files written before the fault are whole.
/// </summary>
public class CliFaultInjectionTests
{
    private const int DiskFull = 28; // ENOSPC, as .NET reports it on Unix in IOException.HResult

    /// <summary>Counts every file operation of the run and fails operation <see cref="FailAt"/> (from 1).</summary>
    private sealed class Faults
    {
        public int FailAt { get; init; } = int.MaxValue;
        public int Operations { get; private set; }
        public string? Failed { get; private set; }

        public void Tick(string what)
        {
            if (++Operations != FailAt) return;
            Failed = what;
            throw new IOException($"No space left on device : '{what}'", DiskFull);
        }
    }

    /// <summary>The one seam every file of a run is written through (AtomicFile): each operation can fail.</summary>
    private sealed class FaultyFiles(Faults faults) : CheckpointFileSystem
    {
        public override Stream CreateTemporary(string path, int bufferSize) { faults.Tick($"create {path}"); return base.CreateTemporary(path, bufferSize); }
        public override void Write(Stream stream, ReadOnlySpan<byte> bytes) { faults.Tick("write"); base.Write(stream, bytes); }
        public override void Flush(Stream stream) { faults.Tick("flush"); base.Flush(stream); }
        public override void Close(Stream stream) { faults.Tick("close"); base.Close(stream); }
        public override void Move(string from, string to) { faults.Tick($"rename to {to}"); base.Move(from, to); }
        public override Stream OpenAppend(string path) { faults.Tick($"open {path}"); return new FaultyStream(base.OpenAppend(path), faults, path); }
    }

    /// <summary>A stream whose every write is one operation that can fail.</summary>
    private sealed class FaultyStream(Stream inner, Faults faults, string path) : Stream
    {
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));
        public override void Write(ReadOnlySpan<byte> buffer) { faults.Tick($"write {path}"); inner.Write(buffer); }
        public override void Flush() => inner.Flush();
        protected override void Dispose(bool disposing) { if (disposing) inner.Dispose(); base.Dispose(disposing); }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    private static (CliResult Result, Faults Faults) Train(string corpus, string run, int failAt)
    {
        var faults = new Faults { FailAt = failAt };
        AtomicFile.FileSystemForTesting = new FaultyFiles(faults);
        try
        {
            return (CliRunner.Run(["train", "--text", corpus, "--out", run, "--epochs", "1", "--length", "5", .. EndToEndTests.TinyTraining]), faults);
        }
        finally
        {
            AtomicFile.FileSystemForTesting = null;
        }
    }

    [Fact]
    public void Disk_full_at_every_file_operation_of_a_run_loses_nothing_and_names_the_last_good_checkpoint()
    {
        using var dir = new TempDir();
        string corpus = TestCorpus.Write(dir);
        var (clean, counted) = Train(corpus, dir.File("clean"), int.MaxValue);
        Assert.True(clean.ExitCode == 0, clean.Err);
        int operations = counted.Operations;
        Assert.True(operations > 20, $"only {operations} file operations counted: the seams miss writes");

        var failedWhere = new HashSet<string>();
        for (int k = 1; k <= operations; k++)
        {
            string run = dir.File($"run{k}");
            var (r, faults) = Train(corpus, run, k);
            if (faults.Failed is null)
            {
                // The run took another path (fewer progress rows): it must then have succeeded.
                Assert.True(r.ExitCode == 0, $"operation {k} did not fail, yet: {r.Err}");
                continue;
            }
            failedWhere.Add(faults.Failed.Split(' ')[0]);
            string at = $"disk full at operation {k} ({faults.Failed})";
            Assert.True(r.ExitCode == ExitCodes.IO, $"{at}: exit code {r.ExitCode}: {r.Err}");
            Assert.True(r.Err.Contains("the disk is full"), $"{at}: {r.Err}");
            Assert.DoesNotContain("   at ", r.Err);
            string? lastGood = Directory.Exists(run)
                ? new[] { "last.safetensors", "best.safetensors" }.Select(n => Path.Combine(run, n)).FirstOrDefault(File.Exists)
                : null;
            if (lastGood is null) Assert.Contains("No checkpoint was saved.", r.Err);
            else Assert.True(r.Err.Contains($"The last good checkpoint is {lastGood}"), $"{at}: {r.Err}");

            if (!Directory.Exists(run)) continue;
            foreach (var file in Directory.GetFiles(run, "*.safetensors")) Assert.NotEmpty(SafeTensors.Read(file).Names);
            Assert.Empty(Directory.GetFiles(run, ".*.tmp"));
            string csv = Path.Combine(run, "loss.csv");
            if (File.Exists(csv)) Assert.Equal(LossCurve.Header, File.ReadLines(csv).First());
            string vocab = Path.Combine(run, "vocab.json");
            if (File.Exists(vocab)) Vocabulary.FromJson(File.ReadAllText(vocab));
            if (File.Exists(Path.Combine(run, "run.json"))) Assert.NotNull(RunInfo.Read(run));
        }
        // Every kind of operation was failed at least once.
        foreach (var kind in new[] { "create", "write", "flush", "close", "rename", "open" }) Assert.Contains(kind, failedWhere);
    }
}
