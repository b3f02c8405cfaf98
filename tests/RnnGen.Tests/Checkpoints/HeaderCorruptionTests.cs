using System.Text;

namespace RnnGen.Tests.Checkpoints;

/// <summary>Every kind of malformed header is a <see cref="CheckpointException"/> that names the file and the problem.</summary>
public class HeaderCorruptionTests
{
    private static readonly byte[] Twelve = RawSafeTensors.Floats(1, 2, 3);

    private static byte[] Tensor(string description) => RawSafeTensors.Build("{\"w\":" + description + "}", Twelve);

    public static TheoryData<string, byte[], string> Headers()
    {
        // A name whose second byte is a lone UTF-8 continuation byte, as after a flipped high bit.
        byte[] invalidUtf8 = [.. "{\"w"u8, 0xA2, .. "\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,12]}}"u8];
        return new TheoryData<string, byte[], string>
        {
            // Encoding
            { "utf8", Build(invalidUtf8, Twelve), "the header is not valid UTF-8 (at byte 11 of the file)" },
            { "surrogate", RawSafeTensors.Build("""{"\ud800":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}""", Twelve), "the header holds a string that is not valid Unicode" },
            // JSON syntax
            { "garbage", RawSafeTensors.Build("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}x""", Twelve), "the header is not valid JSON" },
            { "unclosed", RawSafeTensors.Build("""{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}""", Twelve), "the header is not valid JSON" },
            // Wrong types
            { "entry", RawSafeTensors.Build("""{"w":12}""", Twelve), "tensor 'w' must be described by an object, not a number" },
            { "dtypeNumber", Tensor("""{"dtype":32,"shape":[3],"data_offsets":[0,12]}"""), "tensor 'w' has no \"dtype\" string" },
            { "shapeString", Tensor("""{"dtype":"F32","shape":"3","data_offsets":[0,12]}"""), "tensor 'w' has no \"shape\" array" },
            { "shapeFraction", Tensor("""{"dtype":"F32","shape":[1.5],"data_offsets":[0,12]}"""), "tensor 'w' has a shape entry that is not a non-negative integer: 1.5" },
            { "offsetStrings", Tensor("""{"dtype":"F32","shape":[3],"data_offsets":["0","12"]}"""), "tensor 'w' has invalid data_offsets [\"0\",\"12\"]" },
            { "offsetTriple", Tensor("""{"dtype":"F32","shape":[3],"data_offsets":[0,12,4]}"""), "tensor 'w' has no \"data_offsets\" pair [begin, end]" },
            { "metadataArray", RawSafeTensors.Build("""{"__metadata__":["a"]}""", []), "'__metadata__' must be an object of strings, not an array" },
            { "checksumJson", RawSafeTensors.Build("""{"__metadata__":{"rnngen.checksums":"{oops"}}""", []), "the checksum entry 'rnngen.checksums' is damaged (it is not valid JSON" },
            { "checksumHex", RawSafeTensors.Build("""{"__metadata__":{"rnngen.checksums":"{\"algorithm\":\"crc32c\",\"metadata\":\"0000000g\",\"tensors\":{}}"}}""", []),
                "the checksum entry 'rnngen.checksums' is damaged (the checksum of 'metadata' is not 8 hexadecimal digits)" },
            // Misspelt keys
            { "dtpye", Tensor("""{"dtpye":"F32","shape":[3],"data_offsets":[0,12]}"""), "tensor 'w' has an unknown key 'dtpye' (expected dtype, shape, data_offsets)" },
            { "offsetsKey", Tensor("""{"dtype":"F32","shape":[3],"data_offsetz":[0,12]}"""), "tensor 'w' has an unknown key 'data_offsetz'" },
            { "metadataKey", RawSafeTensors.Build("""{"__metadat__":{"format":"pt"}}""", []), "tensor '__metadat__' has an unknown key 'format'" },
            // Offsets out of range or overlapping
            { "past", Tensor("""{"dtype":"F32","shape":[3],"data_offsets":[4,16]}"""), "tensor 'w' needs 12 bytes but the file ends after 8" },
            { "beyondLong", Tensor("""{"dtype":"F32","shape":[3],"data_offsets":[0,1e30]}"""), "tensor 'w' has invalid data_offsets [0,1e30]" },
            { "negative", Tensor("""{"dtype":"F32","shape":[3],"data_offsets":[-4,8]}"""), "tensor 'w' has invalid data_offsets" },
            { "overlap", RawSafeTensors.Build("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}""", Twelve),
                "tensors 'a' (bytes 0..8) and 'b' (bytes 4..8) overlap" },
            // Huge lengths
            { "headerLength", RawSafeTensors.Build("{}", Twelve, declaredLength: ulong.MaxValue), $"the header length {ulong.MaxValue} runs past the end of the file (22 bytes)" },
            { "elements", Tensor("""{"dtype":"F32","shape":[100000,100000,100000],"data_offsets":[0,12]}"""), "tensor 'w' of shape [100000, 100000]... has more elements than an array can hold" },
            { "bytes", Tensor("""{"dtype":"F32","shape":[3],"data_offsets":[0,9223372036854775807]}"""), "tensor 'w' of dtype F32 and shape [3] needs 12 bytes but its data_offsets [0, 9223372036854775807] span 9223372036854775807" },
            // Truncation in each region
            { "inLength", [12, 0, 0], "the file is 3 bytes long, too short for the 8-byte header length" },
            { "inHeader", Tensor("""{"dtype":"F32","shape":[3],"data_offsets":[0,12]}""")[..30], "the header length 55 runs past the end of the file (30 bytes)" },
            { "inData", Tensor("""{"dtype":"F32","shape":[3],"data_offsets":[0,12]}""")[..^1], "tensor 'w' needs 12 bytes but the file ends after 11" },
            { "empty", RawSafeTensors.Build("", []), "the header is empty" },
        };
    }

    [Theory]
    [MemberData(nameof(Headers))]
    public void A_malformed_header_is_a_checkpoint_exception_naming_the_file_and_the_problem(string name, byte[] bytes, string problem)
    {
        using var folder = new TempFolder();
        string path = folder.File(name + ".safetensors");
        File.WriteAllBytes(path, bytes);
        var ex = Assert.Throws<CheckpointException>(() => SafeTensors.Read(path));
        Assert.StartsWith(path + ": ", ex.Message);
        Assert.Contains(problem, ex.Message);
        Assert.Equal(path, ex.FilePath);
    }

    private static byte[] Build(byte[] header, byte[] data)
    {
        var bytes = new byte[8 + header.Length + data.Length];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    [Fact]
    public void Reads_a_header_built_from_encoded_bytes_like_the_other_cases()
    {
        // The byte-level builder above matches the string one, so the UTF-8 case differs only in its one byte.
        string json = """{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,12]}}""";
        Assert.Equal(RawSafeTensors.Build(json, Twelve), Build(Encoding.UTF8.GetBytes(json), Twelve));
    }
}
