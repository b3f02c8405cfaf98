using System.Text.Json;

namespace RnnGen.Tests.Checkpoints;

public class SafeTensorsTests
{
    private static float[] Sequence(int n, float scale = 0.5f) => Enumerable.Range(0, n).Select(i => (i - n / 2) * scale).ToArray();

    [Fact]
    public void Round_trip_keeps_names_order_shapes_values_and_metadata()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        var tensors = new[]
        {
            new SafeTensor("rnn.weight_ih_l0", [6, 4], Sequence(24)),
            new SafeTensor("embedding.weight", [3, 2], [float.MaxValue, float.Epsilon, -0f, 1e-30f, -7.25f, 3f]),
            new SafeTensor("scalar", [], [42f]),
            new SafeTensor("empty", [0, 5], []),
        };
        var metadata = new Dictionary<string, string> { ["vocabulary"] = "{\"tokens\":[\"a\"]}", ["format"] = "pt", ["note"] = "名前 😀" };

        SafeTensors.Write(path, tensors, metadata);
        SafeTensorsFile file = SafeTensors.Read(path);

        Assert.Equal(path, file.Path);
        Assert.Equal(["rnn.weight_ih_l0", "embedding.weight", "scalar", "empty"], file.Names);
        Assert.Equal(4, file.Count);
        foreach (var expected in tensors)
        {
            Assert.True(file.TryGet(expected.Name, out SafeTensor actual));
            Assert.Equal(expected.Shape, actual.Shape);
            Assert.Equal(expected.Data, actual.Data);
        }
        Assert.Equal(metadata.OrderBy(kv => kv.Key), file.Metadata.OrderBy(kv => kv.Key));
        Assert.False(file.TryGet("missing", out _));
        Assert.Contains("no tensor 'missing'", Assert.Throws<CheckpointException>(() => file["missing"]).Message);
    }

    [Fact]
    public void Written_bytes_follow_the_format()
    {
        using var folder = new TempFolder();
        string path = folder.File("layout.safetensors");
        SafeTensors.Write(path, [new SafeTensor("a", [2], [1f, -2f]), new SafeTensor("b", [1, 3], [0.5f, 3f, 4f])],
            new Dictionary<string, string> { ["k"] = "v" });
        byte[] bytes = File.ReadAllBytes(path);

        long headerLength = BitConverter.ToInt64(bytes, 0);
        Assert.Equal(0, headerLength % 8);                              // data starts 8-byte aligned
        Assert.Equal(8 + headerLength + 5 * 4, bytes.Length);
        string header = System.Text.Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        using var json = JsonDocument.Parse(header.TrimEnd(' '));
        JsonElement root = json.RootElement;
        Assert.Equal("v", root.GetProperty("__metadata__").GetProperty("k").GetString());
        Assert.Equal("F32", root.GetProperty("a").GetProperty("dtype").GetString());
        Assert.Equal([1, 3], root.GetProperty("b").GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([0L, 8L], root.GetProperty("a").GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal([8L, 20L], root.GetProperty("b").GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(RawSafeTensors.Floats(1f, -2f, 0.5f, 3f, 4f), bytes[(int)(8 + headerLength)..]);
    }

    [Fact]
    public void Reads_F64_F16_and_BF16_as_float_and_accepts_padding_and_holes()
    {
        using var folder = new TempFolder();
        string path = folder.File("mixed.safetensors");
        byte[] f64 = new[] { 1.5, -0.25, 1e30 }.SelectMany(BitConverter.GetBytes).ToArray();
        byte[] f16 = new[] { (Half)0.5f, (Half)(-3f) }.SelectMany(h => BitConverter.GetBytes(BitConverter.HalfToUInt16Bits(h))).ToArray();
        // bfloat16 is the upper 16 bits of a float32.
        byte[] bf16 = new[] { 2.5f, -1f }.SelectMany(f => BitConverter.GetBytes((ushort)(BitConverter.SingleToUInt32Bits(f) >> 16))).ToArray();
        byte[] data = [.. f64, 0, 0, 0, 0, .. f16, .. bf16];   // 4 unused bytes between the tensors
        string header = """{"d":{"dtype":"F64","shape":[3],"data_offsets":[0,24]},"h":{"dtype":"F16","shape":[2,1],"data_offsets":[28,32]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[32,36]}}""";
        header = header.PadRight((header.Length + 7) / 8 * 8);
        File.WriteAllBytes(path, RawSafeTensors.Build(header, data));

        SafeTensorsFile file = SafeTensors.Read(path);

        Assert.Equal([1.5f, -0.25f, 1e30f], file["d"].Data);
        Assert.Equal([0.5f, -3f], file["h"].Data);
        Assert.Equal([2, 1], file["h"].Shape);
        Assert.Equal([2.5f, -1f], file["b"].Data);
        Assert.Empty(file.Metadata);
    }

    [Fact]
    public void Large_tensors_are_read_across_chunks()
    {
        using var folder = new TempFolder();
        string path = folder.File("large.safetensors");
        float[] big = Enumerable.Range(0, 300_000).Select(i => (float)Math.Sin(i)).ToArray();
        SafeTensors.Write(path, [new SafeTensor("big", [300, 1000], big)]);
        Assert.Equal(big, SafeTensors.Read(path)["big"].Data);

        // The same through the converting path: F64 bytes built by hand.
        string f64Path = folder.File("large64.safetensors");
        byte[] data = big.SelectMany(f => BitConverter.GetBytes((double)f)).ToArray();
        File.WriteAllBytes(f64Path, RawSafeTensors.Build($$$"""{"big":{"dtype":"F64","shape":[300000],"data_offsets":[0,{{{data.Length}}}]}}""", data));
        Assert.Equal(big, SafeTensors.Read(f64Path)["big"].Data);
    }

    public static TheoryData<string, byte[], string> DamagedFiles()
    {
        byte[] twelve = RawSafeTensors.Floats(1, 2, 3);
        return new TheoryData<string, byte[], string>
        {
            { "short", [1, 2, 3], "too short for the 8-byte header length" },
            { "beyond", RawSafeTensors.Build("{}", [], declaredLength: 1000), "header length 1000 runs past the end of the file" },
            { "json", RawSafeTensors.Build("{\"a\": [1,", twelve), "not valid JSON" },
            { "array", RawSafeTensors.Build("[1, 2]", []), "must be a JSON object" },
            { "dtype", RawSafeTensors.Build("""{"w":{"dtype":"Q7","shape":[3],"data_offsets":[0,12]}}""", twelve), "unknown dtype 'Q7'" },
            { "int", RawSafeTensors.Build("""{"w":{"dtype":"I64","shape":[1],"data_offsets":[0,8]}}""", new byte[8]), "dtype I64, which cannot be read as float" },
            { "mismatch", RawSafeTensors.Build("""{"w":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}""", twelve), "needs 16 bytes but its data_offsets [0, 12] span 12" },
            { "negative", RawSafeTensors.Build("""{"w":{"dtype":"F32","shape":[-3],"data_offsets":[0,12]}}""", twelve), "not a non-negative integer" },
            { "reversed", RawSafeTensors.Build("""{"w":{"dtype":"F32","shape":[0],"data_offsets":[8,4]}}""", twelve), "invalid data_offsets" },
            { "noshape", RawSafeTensors.Build("""{"w":{"dtype":"F32","data_offsets":[0,12]}}""", twelve), "no \"shape\" array" },
            { "overlap", RawSafeTensors.Build("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", twelve), "overlap" },
            { "range", RawSafeTensors.Build("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}""", twelve), "tensor 'a' needs 8 bytes but the file ends after 4" },
            { "metadata", RawSafeTensors.Build("""{"__metadata__":{"epoch":3}}""", []), "metadata 'epoch' must be a string" },
            { "duplicate", RawSafeTensors.Build("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", twelve), "names 'a' twice" },
        };
    }

    [Theory]
    [MemberData(nameof(DamagedFiles))]
    public void Damaged_files_raise_a_checkpoint_exception_naming_the_file_and_the_problem(string name, byte[] bytes, string problem)
    {
        using var folder = new TempFolder();
        string path = folder.File(name + ".safetensors");
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<CheckpointException>(() => SafeTensors.Read(path));
        Assert.StartsWith(path + ": ", ex.Message);
        Assert.Contains(problem, ex.Message);
        Assert.Equal(path, ex.FilePath);
    }

    [Fact]
    public void A_truncated_file_names_the_tensor_and_the_bytes_it_lacks()
    {
        using var folder = new TempFolder();
        string path = folder.File("char.safetensors");
        SafeTensors.Write(path, [new SafeTensor("embedding.weight", [4], Sequence(4)), new SafeTensor("rnn.weight_ih_l0", [24, 16], Sequence(384))]);
        byte[] bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^512]);

        var ex = Assert.Throws<CheckpointException>(() => SafeTensors.Read(path));
        Assert.Equal($"{path}: tensor 'rnn.weight_ih_l0' needs 1536 bytes but the file ends after 1024", ex.Message);
    }

    [Fact]
    public void Writing_replaces_an_existing_file_and_leaves_no_temporary_files()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        SafeTensors.Write(path, [new SafeTensor("a", [3], [1, 2, 3])]);
        SafeTensors.Write(path, [new SafeTensor("b", [1], [9])]);
        Assert.Equal(["b"], SafeTensors.Read(path).Names);
        Assert.Equal(["model.safetensors"], Directory.GetFiles(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void A_write_that_fails_before_commit_leaves_the_old_file_intact()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        SafeTensors.Write(path, [new SafeTensor("a", [3], [1, 2, 3])]);
        byte[] before = File.ReadAllBytes(path);
        string? temporary = null;
        SafeTensors.BeforeCommitForTesting = t =>
        {
            temporary = t;
            Assert.Equal(folder.Path, Path.GetDirectoryName(t));   // same folder, so the move is a rename
            Assert.True(File.Exists(t));
            throw new IOException("simulated crash");
        };
        try
        {
            Assert.Throws<IOException>(() => SafeTensors.Write(path, [new SafeTensor("b", [1000], Sequence(1000))]));
        }
        finally
        {
            SafeTensors.BeforeCommitForTesting = null;
        }
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.NotNull(temporary);
        Assert.False(File.Exists(temporary));
    }

    [Fact]
    public void Invalid_tensor_lists_are_rejected_before_touching_the_disk()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        Assert.Throws<ArgumentException>(() => SafeTensors.Write(path, [new SafeTensor("a", [1], [1]), new SafeTensor("a", [1], [2])]));
        Assert.Throws<ArgumentException>(() => SafeTensors.Write(path, [new SafeTensor("__metadata__", [1], [1])]));
        static IEnumerable<SafeTensor> Failing()
        {
            yield return new SafeTensor("a", [1], [1]);
            throw new InvalidOperationException("enumeration failed");
        }
        Assert.Throws<InvalidOperationException>(() => SafeTensors.Write(path, Failing()));
        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void Tensor_data_must_match_its_shape()
    {
        var ex = Assert.Throws<ArgumentException>(() => new SafeTensor("w", [2, 3], new float[5]));
        Assert.Contains("needs 6 values but has 5", ex.Message);
        Assert.Throws<ArgumentException>(() => new SafeTensor("", [1], new float[1]));
        Assert.Throws<ArgumentException>(() => new SafeTensor("w", [-1], []));
    }
}
