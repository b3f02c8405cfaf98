using System.Buffers.Binary;
using CharLm;

namespace RnnGen.CharLm.Tests;

/// <summary>
/// Damaged checkpoints through the CLI: single-bit flips in a checkpoint's header, and NaN weights, given to
/// <c>sample</c>, <c>eval</c> and <c>train --resume</c>. Each either works as with the sound file or fails with exit
/// code 3 and one line naming the file; the run folder is left byte for byte as it was.
/// </summary>
public class DamagedCheckpointTests : IClassFixture<DamagedCheckpointTests.TrainedRun>
{
    /// <summary>One tiny run, trained once for the class.</summary>
    public sealed class TrainedRun : IDisposable
    {
        public TempDir Dir { get; } = new();
        public string Corpus { get; }
        public string Run { get; }

        public TrainedRun()
        {
            Corpus = TestCorpus.Write(Dir);
            Run = Dir.File("pristine");
            var r = CliRunner.Run(["train", "--text", Corpus, "--out", Run, "--epochs", "1", "--length", "5", .. EndToEndTests.TinyTraining]);
            Assert.True(r.ExitCode == 0, r.Err);
        }

        public void Dispose() => Dir.Dispose();
    }

    private readonly TrainedRun _trained;

    public DamagedCheckpointTests(TrainedRun trained) => _trained = trained;

    private string CopyRun(string name)
    {
        string copy = _trained.Dir.File(name);
        Directory.CreateDirectory(copy);
        foreach (var f in Directory.GetFiles(_trained.Run)) File.Copy(f, Path.Combine(copy, Path.GetFileName(f)));
        return copy;
    }

    private static Dictionary<string, byte[]> Snapshot(string run) =>
        Directory.GetFiles(run).ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

    private static string[] Command(string which, string run, string corpus) => which switch
    {
        "sample" => ["sample", "--checkpoint", Path.Combine(run, "last.safetensors"), "--prompt", "the ", "--length", "20", "--seed", "1"],
        "eval" => ["eval", "--checkpoint", Path.Combine(run, "last.safetensors"), "--text", corpus],
        _ => ["train", "--resume", "--out", run, "--epochs", "2", "--length", "5"],
    };

    [Theory]
    [InlineData("sample")]
    [InlineData("eval")]
    [InlineData("resume")]
    public void A_flipped_header_bit_fails_naming_the_file_or_changes_nothing(string which)
    {
        string pristineLast = Path.Combine(_trained.Run, "last.safetensors");
        byte[] sound = File.ReadAllBytes(pristineLast);
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(sound);
        string soundOutput = which == "resume" ? "" : CliRunner.Run(Command(which, _trained.Run, _trained.Corpus)).Out;
        var random = new Random(which.Length);
        int refused = 0;
        for (int i = 0; i < 12; i++)
        {
            int bit = random.Next(headerEnd * 8);
            string run = CopyRun($"{which}-{i}");
            string last = Path.Combine(run, "last.safetensors");
            byte[] damaged = (byte[])sound.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            File.WriteAllBytes(last, damaged);
            var before = Snapshot(run);

            var r = CliRunner.Run(Command(which, run, _trained.Corpus));
            string at = $"bit {bit} of {headerEnd * 8} header bits, {which}";
            Assert.DoesNotContain("   at ", r.Err);
            if (r.ExitCode == 0)
            {
                // A flip the format tolerates (JSON whitespace turned into other whitespace, say): the same result.
                if (which != "resume") Assert.True(soundOutput == r.Out, $"{at}: loaded, but gave another result");
                continue;
            }
            refused++;
            Assert.True(r.ExitCode == ExitCodes.Input, $"{at}: exit code {r.ExitCode}: {r.Err}");
            Assert.True(r.Err.StartsWith($"error: {last}", StringComparison.Ordinal) || r.Err.Contains($"'{last}'"), $"{at}: the message does not name the file: {r.Err}");
            var after = Snapshot(run);
            Assert.Equal(before.Keys.Order(), after.Keys.Order());
            foreach (var (name, bytes) in before) Assert.True(bytes.SequenceEqual(after[name]), $"{at}: {name} changed");
        }
        Assert.True(refused >= 6, $"only {refused} of 12 header flips were refused");
    }

    [Theory]
    [InlineData("sample")]
    [InlineData("eval")]
    [InlineData("resume")]
    public void Nan_weights_are_refused_naming_the_file_not_blamed_on_the_text(string which)
    {
        string run = CopyRun($"nan-{which}");
        string last = Path.Combine(run, "last.safetensors");
        var file = SafeTensors.Read(last);
        var tensors = file.Names.Select(n => (n, file[n])).ToList();
        var (name, first) = tensors[0];
        var poisoned = (float[])first.Data.Clone();
        poisoned[poisoned.Length / 2] = float.NaN;
        // Written past the writer's own refusal, the way a bad disk or another tool would leave it.
        byte[] bytes = File.ReadAllBytes(last);
        int headerEnd = 8 + (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        var header = System.Text.Json.JsonDocument.Parse(bytes.AsMemory(8, headerEnd - 8));
        long start = header.RootElement.GetProperty(name).GetProperty("data_offsets")[0].GetInt64();
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(headerEnd + (int)start + poisoned.Length / 2 * 4), float.NaN);
        File.WriteAllBytes(last, bytes);
        var before = Snapshot(run);

        var r = CliRunner.Run(Command(which, run, _trained.Corpus));
        Assert.Equal(ExitCodes.Input, r.ExitCode);
        Assert.Contains(last, r.Err);
        Assert.DoesNotContain("too short", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
        var after = Snapshot(run);
        foreach (var (f, b) in before) Assert.True(b.SequenceEqual(after[f]), $"{f} changed");
    }
}
