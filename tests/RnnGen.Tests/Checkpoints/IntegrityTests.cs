using System.Text;
using RnnGen.Tests.Models;

namespace RnnGen.Tests.Checkpoints;

/// <summary>Checksums and finite values: damage that keeps the file well-formed is still caught.</summary>
public class IntegrityTests
{
    [Fact]
    public void Crc32C_gives_the_standard_check_value_on_the_hardware_and_the_software_path()
    {
        byte[] check = Encoding.ASCII.GetBytes("123456789");
        Assert.Equal(0xE3069283u, Crc32C.Compute(check));
        Assert.Equal(0xE3069283u, Crc32C.Finish(Crc32C.AppendSoftware(Crc32C.Initial, check)));
        Assert.Equal(0u, Crc32C.Compute([]));

        var random = new Random(4);
        byte[] data = new byte[1013];
        random.NextBytes(data);
        uint whole = Crc32C.Compute(data);
        Assert.Equal(whole, Crc32C.Finish(Crc32C.AppendSoftware(Crc32C.Initial, data)));
        // Chunked hashing, as the reader does it, gives the same value wherever the cuts fall.
        uint state = Crc32C.Append(Crc32C.Append(Crc32C.Initial, data.AsSpan(0, 13)), data.AsSpan(13, 500));
        Assert.Equal(whole, Crc32C.Finish(Crc32C.Append(state, data.AsSpan(513))));
    }

    [Fact]
    public void Written_files_carry_checksums_as_a_metadata_string_that_the_reader_hides()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        SafeTensors.Write(path, [new SafeTensor("a", [2], [1f, -2f])], new Dictionary<string, string> { ["k"] = "v" });

        string header = HeaderText(File.ReadAllBytes(path));
        using var json = System.Text.Json.JsonDocument.Parse(header.TrimEnd(' '));
        string entry = json.RootElement.GetProperty("__metadata__").GetProperty("rnngen.checksums").GetString()!;
        string a = Crc32C.Compute(RawSafeTensors.Floats(1f, -2f)).ToString("x8");
        string metadata = CheckpointChecksums.OfMetadata(new Dictionary<string, string> { ["k"] = "v" }).ToString("x8");
        Assert.Equal($$$"""{"algorithm":"crc32c","metadata":"{{{metadata}}}","tensors":{"a":"{{{a}}}"}}""", entry);
        Assert.Equal(["k"], SafeTensors.Read(path).Metadata.Keys);
        Assert.Throws<ArgumentException>(() => SafeTensors.Write(path, Array.Empty<SafeTensor>(), new Dictionary<string, string> { ["rnngen.checksums"] = "x" }));
    }

    [Fact]
    public void A_flipped_bit_in_a_tensor_fails_its_checksum()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        SafeTensors.Write(path, [new SafeTensor("a", [2], [1f, -2f]), new SafeTensor("b", [3], [0.5f, 3f, 4f])]);
        byte[] bytes = File.ReadAllBytes(path);
        long dataStart = 8 + BitConverter.ToInt64(bytes, 0);
        bytes[dataStart + 8 + 4] ^= 1;   // the lowest mantissa bit of b[1]: still a finite float
        File.WriteAllBytes(path, bytes);

        var ex = Assert.Throws<CheckpointException>(() => SafeTensors.Read(path));
        Assert.Equal($"{path}: tensor 'b' does not match its checksum (the file is damaged)", ex.Message);
    }

    [Fact]
    public void A_changed_metadata_value_fails_the_metadata_checksum()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        SafeTensors.Write(path, [new SafeTensor("a", [1], [1f])], new Dictionary<string, string> { ["note"] = "abc" });
        File.WriteAllBytes(path, Patch(File.ReadAllBytes(path), "\"abc\"", "\"abd\""));

        var ex = Assert.Throws<CheckpointException>(() => SafeTensors.Read(path));
        Assert.Equal($"{path}: the metadata does not match its checksum (the file is damaged)", ex.Message);
    }

    [Fact]
    public void Swapped_vocabulary_entries_are_caught_when_a_model_loads()
    {
        using var folder = new TempFolder();
        string path = folder.File("char.safetensors");
        var vocab = Vocabulary.Characters("hello, world\n");
        new StackedModel(vocab.Count, seed: 1).Save(path, vocab);
        var tokens = vocab.Tokens;
        int i = Enumerable.Range(0, tokens.Count - 1).First(k => char.IsLetter(tokens[k][0]) && char.IsLetter(tokens[k + 1][0]));
        // The vocabulary's JSON sits inside a JSON string, so its quotes are escaped there.
        static string InMetadata(string a, string b) => System.Text.Json.JsonSerializer.Serialize($"\"{a}\",\"{b}\"")[1..^1];
        File.WriteAllBytes(path, Patch(File.ReadAllBytes(path), InMetadata(tokens[i], tokens[i + 1]), InMetadata(tokens[i + 1], tokens[i])));

        var ex = Assert.Throws<CheckpointException>(() => new StackedModel(vocab.Count).Load(path));
        Assert.Equal($"{path}: the metadata does not match its checksum (the file is damaged)", ex.Message);
    }

    [Fact]
    public void A_tensor_renamed_by_damage_has_no_checksum()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        SafeTensors.Write(path, [new SafeTensor("a", [1], [1f]), new SafeTensor("b", [1], [2f])]);
        File.WriteAllBytes(path, Patch(File.ReadAllBytes(path), "\"b\":{\"dtype\"", "\"c\":{\"dtype\""));

        var ex = Assert.Throws<CheckpointException>(() => SafeTensors.Read(path));
        Assert.Equal($"{path}: tensor 'c' has no checksum (the file is damaged)", ex.Message);
    }

    [Fact]
    public void A_damaged_checksum_key_does_not_pass_the_file_off_as_one_without_checksums()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        SafeTensors.Write(path, [new SafeTensor("a", [1], [1f])]);
        File.WriteAllBytes(path, Patch(File.ReadAllBytes(path), "\"rnngen.checksums\"", "\"rnngen.ch5cksums\""));   // 'e' ^ 0x50

        var ex = Assert.Throws<CheckpointException>(() => SafeTensors.Read(path));
        Assert.Equal($"{path}: the metadata key 'rnngen.ch5cksums' looks like a damaged 'rnngen.checksums' (the file is damaged)", ex.Message);
    }

    [Fact]
    public void A_checksum_entry_of_another_algorithm_is_refused()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        SafeTensors.Write(path, [new SafeTensor("a", [1], [1f])]);
        File.WriteAllBytes(path, Patch(File.ReadAllBytes(path), "crc32c", "crc32x"));

        var ex = Assert.Throws<CheckpointException>(() => SafeTensors.Read(path));
        Assert.Equal($"{path}: its checksums use the algorithm 'crc32x'; this library checks 'crc32c'", ex.Message);
    }

    [Theory]
    [InlineData(float.NaN, "NaN")]
    [InlineData(float.PositiveInfinity, "Infinity")]
    [InlineData(float.NegativeInfinity, "-Infinity")]
    public void Loading_refuses_a_tensor_holding_a_non_finite_value(float value, string shown)
    {
        using var folder = new TempFolder();
        string path = folder.File("pytorch.safetensors");   // no checksums, as PyTorch writes it
        File.WriteAllBytes(path, RawSafeTensors.Build("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}""", RawSafeTensors.Floats(1f, value, 2f)));

        var ex = Assert.Throws<CheckpointException>(() => SafeTensors.Read(path));
        Assert.Equal($"{path}: tensor 'w' holds {shown} at index 1; a model cannot use non-finite weights", ex.Message);
    }

    [Fact]
    public void Loading_refuses_F64_values_beyond_the_range_of_float()
    {
        using var folder = new TempFolder();
        string path = folder.File("f64.safetensors");
        byte[] data = new[] { 1.0, 2.0, -1e300 }.SelectMany(BitConverter.GetBytes).ToArray();
        File.WriteAllBytes(path, RawSafeTensors.Build("""{"d":{"dtype":"F64","shape":[3],"data_offsets":[0,24]}}""", data));

        var ex = Assert.Throws<CheckpointException>(() => SafeTensors.Read(path));
        Assert.Equal($"{path}: tensor 'd' holds -Infinity at index 2; a model cannot use non-finite weights", ex.Message);
    }

    [Fact]
    public void Writing_refuses_non_finite_values_and_leaves_no_file()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        var ex = Assert.Throws<ArgumentException>(() =>
            SafeTensors.Write(path, [new SafeTensor("ok", [1], [1f]), new SafeTensor("w", [40], [.. new float[37], float.NaN, 1f, 2f])]));
        Assert.StartsWith("Tensor 'w' holds NaN at index 37; a checkpoint must hold finite values, so it was not written.", ex.Message);

        var model = new StackedModel(10, seed: 1);
        model.Parameters.Single(p => p.Name == "output.bias").Value[3] = float.NegativeInfinity;
        ex = Assert.Throws<ArgumentException>(() => model.Save(path));
        Assert.StartsWith("Tensor 'output.bias' holds -Infinity at index 3", ex.Message);
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void A_model_configuration_with_a_misspelt_key_is_a_checkpoint_exception()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        var model = new StackedModel(10, seed: 1);
        string config = model.Configuration.ToJson();
        Assert.Contains("\"layers\"", config);
        SafeTensors.Write(path, model.Parameters, new Dictionary<string, string> { ["rnngen.model"] = config.Replace("\"layers\"", "\"layerz\"") });

        var ex = Assert.Throws<CheckpointException>(() => new StackedModel(10).Load(path));
        Assert.Equal($"{path}: its model configuration lacks its \"layers\" or a layer's \"cell\"", ex.Message);
    }

    internal static string HeaderText(byte[] bytes) => Encoding.UTF8.GetString(bytes, 8, (int)BitConverter.ToInt64(bytes, 0));

    /// <summary>Replaces the only occurrence of <paramref name="find"/> by text of the same UTF-8 length.</summary>
    internal static byte[] Patch(byte[] bytes, string find, string replace)
    {
        byte[] from = Encoding.UTF8.GetBytes(find), to = Encoding.UTF8.GetBytes(replace);
        Assert.Equal(from.Length, to.Length);
        int at = bytes.AsSpan().IndexOf(from);
        Assert.True(at >= 0, $"'{find}' is not in the file");
        Assert.True(bytes.AsSpan(at + 1).IndexOf(from) < 0, $"'{find}' occurs twice");
        byte[] patched = (byte[])bytes.Clone();
        to.CopyTo(patched, at);
        return patched;
    }
}
