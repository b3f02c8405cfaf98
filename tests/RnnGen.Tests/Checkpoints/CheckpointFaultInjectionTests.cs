using RnnGen.Tests.Models;

namespace RnnGen.Tests.Checkpoints;

/// <summary>
/// In the spirit of SQLite's I/O error tests: an I/O error at every operation of a checkpoint write in turn must
/// reach the caller naming the file and the last good checkpoint, leave that checkpoint loading as it was, and leave
/// no temporary file.
/// </summary>
public class CheckpointFaultInjectionTests
{
    /// <summary>Counts the operations of checkpoint writes and throws an IOException at operation <see cref="FailAt"/> (from 1).</summary>
    private sealed class FaultyFileSystem : CheckpointFileSystem
    {
        public int FailAt { get; init; } = int.MaxValue;
        public int Operations { get; private set; }
        public int Writes { get; private set; }
        public Dictionary<string, float[]>? FirstCommitted { get; private set; }

        private void Tick(string what)
        {
            if (++Operations == FailAt) throw new IOException($"injected I/O error at operation {Operations} ({what})");
        }

        public override Stream CreateTemporary(string path, int bufferSize) { Tick("create"); return base.CreateTemporary(path, bufferSize); }
        public override void Write(Stream stream, ReadOnlySpan<byte> bytes) { Tick("write"); base.Write(stream, bytes); }
        public override void Flush(Stream stream) { Tick("flush"); base.Flush(stream); }
        public override void Close(Stream stream) { Tick("close"); base.Close(stream); }
        public override void Move(string from, string to)
        {
            Tick("rename");
            base.Move(from, to);
            if (++Writes == 1) FirstCommitted = Snapshot(to);
        }
    }

    private static Dictionary<string, float[]> Snapshot(string path)
    {
        var file = SafeTensors.Read(path);
        return file.Names.ToDictionary(n => n, n => file[n].Data);
    }

    private static void Train(string last, int epochs, CheckpointFileSystem fs)
    {
        string text = BracketLanguage.Generate(300, seed: 3);
        var vocab = Vocabulary.Characters(text);
        var model = new BracketModel(vocab.Count, seed: 1);
        AtomicFile.FileSystemForTesting = fs;
        try
        {
            new Trainer(model, new Adam(1e-2f), new TrainingOptions
            {
                BatchSize = 4, Steps = 16, Epochs = epochs, ValidationsPerEpoch = 1, LastCheckpointPath = last,
            }).Fit(vocab.Encode(text), 0.2);
        }
        finally
        {
            AtomicFile.FileSystemForTesting = null;
        }
    }

    [Fact]
    public void An_io_error_at_any_operation_of_a_checkpoint_write_keeps_the_last_good_checkpoint()
    {
        using var folder = new TempFolder();
        string last = folder.File("last.safetensors");
        var counter = new FaultyFileSystem();
        Train(last, epochs: 1, counter);
        int perWrite = counter.Operations;
        Assert.Equal(1, counter.Writes);
        Assert.True(perWrite >= 5, $"a write has {perWrite} operations");
        File.Delete(last);

        for (int n = 1; n <= perWrite; n++)
        {
            // The first epoch's checkpoint is written whole; the second epoch's write fails at its n-th operation.
            var faulty = new FaultyFileSystem { FailAt = perWrite + n };
            var e = Assert.Throws<CheckpointWriteException>(() => Train(last, epochs: 2, faulty));
            Assert.Contains($"'{last}'", e.Message);
            Assert.Contains($"the last good checkpoint is '{last}'", e.Message);
            Assert.Contains($"operation {perWrite + n}", e.Message);
            Assert.Equal(last, e.LastGoodCheckpoint);
            Assert.IsAssignableFrom<IOException>(e.InnerException);

            var kept = Snapshot(last);
            Assert.NotNull(faulty.FirstCommitted);
            Assert.Equal(faulty.FirstCommitted!.Keys.Order(), kept.Keys.Order());
            foreach (var (name, data) in faulty.FirstCommitted) Assert.Equal(data, kept[name]);
            Assert.Equal(new[] { "last.safetensors" }, Directory.GetFiles(folder.Path).Select(f => Path.GetFileName(f)!).ToArray());
            File.Delete(last);
        }
    }

    [Fact]
    public void A_failed_first_write_says_there_is_no_good_checkpoint_yet()
    {
        using var folder = new TempFolder();
        string last = folder.File("last.safetensors");
        var e = Assert.Throws<CheckpointWriteException>(() => Train(last, epochs: 1, new FaultyFileSystem { FailAt = 1 }));
        Assert.Null(e.LastGoodCheckpoint);
        Assert.Contains("no checkpoint has been written yet", e.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }
}
