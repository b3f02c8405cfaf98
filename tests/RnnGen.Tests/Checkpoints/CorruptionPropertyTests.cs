using System.Text;
using CsCheck;
using RnnGen.Tests.Models;

namespace RnnGen.Tests.Checkpoints;

/// <summary>
/// Damages a real checkpoint (a small language model with its vocabulary, as <c>Save</c> writes it) by flipping
/// random bits or cutting it short, in each region of the file: loading either gives back exactly the tensors and
/// metadata that were saved, or fails with a <see cref="CheckpointException"/> that names the file. Nothing else.
/// </summary>
public sealed class CorruptionPropertyTests : IDisposable
{
    private enum Region { Length, Metadata, TensorHeader, Data }

    private sealed record Damage(Region Region, double Where, int Bits, int Seed, bool Truncate)
    {
        public override string ToString() => $"{(Truncate ? "truncate" : $"flip {Bits} bit(s)")} in {Region} at {Where:0.####} (seed {Seed})";
    }

    private readonly TempFolder _folder = new();
    private readonly string _path;
    private readonly byte[] _original;
    private readonly SafeTensorsFile _saved;
    private readonly int _vocabSize;
    private readonly (int Start, int End)[] _regions;

    public CorruptionPropertyTests()
    {
        var vocab = Vocabulary.Characters("the quick brown fox jumps over the lazy dog\n");
        _vocabSize = vocab.Count;
        string good = _folder.File("good.safetensors");
        new StackedModel(_vocabSize, seed: 3).Save(good, vocab, new Dictionary<string, string> { ["epoch"] = "7" });
        _original = File.ReadAllBytes(good);
        _saved = SafeTensors.Read(good);
        _path = _folder.File("damaged.safetensors");

        // The writer puts the metadata first, then the tensors' descriptions, then their bytes.
        int headerEnd = 8 + (int)BitConverter.ToInt64(_original, 0);
        int metadata = _original.AsSpan().IndexOf("\"__metadata__\""u8);
        int firstTensor = _original.AsSpan().IndexOf(Encoding.UTF8.GetBytes($"\"{_saved.Names[0]}\":{{"));
        Assert.True(8 < metadata && metadata < firstTensor && firstTensor < headerEnd);
        _regions = [(0, 8), (metadata, firstTensor), (firstTensor, headerEnd), (headerEnd, _original.Length)];
    }

    public void Dispose() => _folder.Dispose();

    private static readonly Gen<Damage> Damages =
        Gen.Select(Gen.Enum<Region>(), Gen.Double[0, 1], Gen.Int[1, 3], Gen.Int, Gen.Bool,
            (region, where, bits, seed, truncate) => new Damage(region, where, bits, seed, truncate));

    [Fact]
    public void Damaged_checkpoints_load_identically_or_fail_with_a_checkpoint_exception_naming_the_file()
    {
        Damages.Sample(Check, iter: 500, threads: 1, print: d => d.ToString());
    }

    private void Check(Damage damage)
    {
        byte[] bytes = Apply(damage);
        File.WriteAllBytes(_path, bytes);
        SafeTensorsFile loaded;
        try
        {
            // Through the model, so the configuration and shape checks are exercised too.
            loaded = new StackedModel(_vocabSize).Load(_path);
        }
        catch (CheckpointException ex)
        {
            Assert.StartsWith(_path + ": ", ex.Message);
            Assert.Equal(_path, ex.FilePath);
            return;
        }
        Assert.Equal(_saved.Names, loaded.Names);
        foreach (string name in _saved.Names)
        {
            Assert.Equal(_saved[name].Shape, loaded[name].Shape);
            Assert.Equal(_saved[name].Data.Select(BitConverter.SingleToInt32Bits), loaded[name].Data.Select(BitConverter.SingleToInt32Bits));
        }
        Assert.Equal(_saved.Metadata.OrderBy(kv => kv.Key), loaded.Metadata.OrderBy(kv => kv.Key));
    }

    private byte[] Apply(Damage damage)
    {
        var (start, end) = _regions[(int)damage.Region];
        int at = start + (int)Math.Min(end - start - 1, damage.Where * (end - start));
        if (damage.Truncate) return _original[..at];
        byte[] bytes = (byte[])_original.Clone();
        var random = new Random(damage.Seed);
        // Nearby bits: one byte or a short burst, as a bad sector or a stray write would leave.
        for (int k = 0; k < damage.Bits; k++)
        {
            int index = Math.Clamp(at + random.Next(-2, 3), start, end - 1);
            bytes[index] ^= (byte)(1 << random.Next(8));
        }
        return bytes;
    }
}
