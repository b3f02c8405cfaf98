using System.Text.Json.Nodes;

namespace RnnGen.Tests.Text;

public class VocabularyJsonTests
{
    [Fact]
    public void Character_vocabulary_round_trips_with_its_options()
    {
        string text = "语言模型 😀👍🏽 abc\r\n";
        var vocab = Vocabulary.Characters(text, new CharacterOptions { Unit = CharacterUnit.TextElements, SpecialTokens = SpecialTokens.Padding | SpecialTokens.Unknown, MinCount = 1 });
        var copy = Vocabulary.FromJson(vocab.ToJson());
        Assert.Equal(vocab.Tokens, copy.Tokens);
        Assert.Equal(vocab.CharacterOptions, copy.CharacterOptions);
        Assert.Equal(vocab.SpecialTokens, copy.SpecialTokens);
        Assert.Equal(vocab.Encode(text), copy.Encode(text));
        Assert.Equal(1, copy.UnknownId);
    }

    [Fact]
    public void Rune_vocabulary_round_trips()
    {
        var vocab = Vocabulary.Characters("e\u0301👍🏽", new CharacterOptions { Unit = CharacterUnit.Runes });
        var copy = Vocabulary.FromJson(vocab.ToJson());
        Assert.Equal(CharacterUnit.Runes, copy.CharacterOptions!.Unit);
        Assert.Equal(vocab.Tokens, copy.Tokens);
    }

    [Fact]
    public void Word_vocabulary_round_trips_and_keeps_its_cleaning()
    {
        var options = new WordOptions { LowerCase = false, RemovePunctuation = false, MinCount = 1, MaxSize = 50, SpecialTokens = SpecialTokens.Unknown | SpecialTokens.BeginOfSequence };
        var vocab = Vocabulary.Words("Hello, world. Hello!", options);
        var copy = Vocabulary.FromJson(vocab.ToJson());
        Assert.Equal(vocab.Tokens, copy.Tokens);
        Assert.Equal(options, copy.WordOptions);
        Assert.Equal(vocab.Encode("Hello there, world"), copy.Encode("Hello there, world"));
    }

    [Fact]
    public void The_json_is_plain_and_readable()
    {
        var json = JsonNode.Parse(Vocabulary.Characters("ba").ToJson())!;
        Assert.Equal("rnngen.vocabulary", (string?)json["format"]);
        Assert.Equal(1, (int?)json["version"]);
        Assert.Equal("characters", (string?)json["kind"]);
        Assert.Equal("textElements", (string?)json["unit"]);
        Assert.Equal(["a", "b"], json["tokens"]!.AsArray().Select(n => (string?)n));
    }

    private static string Mutate(Action<JsonObject> change)
    {
        var json = JsonNode.Parse(Vocabulary.Characters("abc", new CharacterOptions { SpecialTokens = SpecialTokens.Unknown }).ToJson())!.AsObject();
        change(json);
        return json.ToJsonString();
    }

    public static TheoryData<string, string> BadDocuments() => new()
    {
        { "{\"format\": ", "not valid" },
        { "[1,2]", "not valid" },
        { "null", "it is null" },
        { Mutate(j => j["format"] = "other"), "\"format\" is \"other\"" },
        { Mutate(j => j["version"] = 9), "\"version\" is 9" },
        { Mutate(j => j["kind"] = "bytes"), "\"kind\" is \"bytes\"" },
        { Mutate(j => j["unit"] = null), "\"unit\" is missing" },
        { Mutate(j => j.Remove("tokens")), "no \"tokens\"" },
        { Mutate(j => j["tokens"] = new JsonArray("<unk>", "a", "a")), "\"a\" appears more than once" },
        { Mutate(j => j["tokens"] = new JsonArray("<unk>", "ab")), "not a single character" },
        { Mutate(j => j["tokens"] = new JsonArray("a", "<unk>")), "token 0 must be the reserved token <unk>" },
        { Mutate(j => j["tokens"] = new JsonArray("<unk>", "")), "token 1 is empty" },
        { Mutate(j => j["special"] = new JsonArray("<mask>")), "\"<mask>\" is not a reserved token" },
        { Mutate(j => j["minCount"] = 0), "\"minCount\" is 0" },
        { Mutate(j => { j["kind"] = "words"; j.Remove("cleaning"); }), "needs its \"cleaning\"" },
    };

    [Theory]
    [MemberData(nameof(BadDocuments))]
    public void Bad_json_gives_a_format_exception_that_says_what_is_wrong(string json, string problem)
    {
        var ex = Assert.Throws<FormatException>(() => Vocabulary.FromJson(json));
        Assert.Contains(problem, ex.Message);
    }

    [Fact]
    public void The_vocabulary_travels_in_checkpoint_metadata()
    {
        string folder = Path.Combine(Path.GetTempPath(), "rnngen-vocab-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        try
        {
            string path = Path.Combine(folder, "char.safetensors");
            var vocab = Vocabulary.Characters("hello, 世界 👋");
            SafeTensors.Write(path, [new SafeTensor("embedding.weight", [vocab.Count, 2], new float[vocab.Count * 2])],
                new Dictionary<string, string> { ["vocabulary"] = vocab.ToJson() });
            var restored = Vocabulary.FromJson(SafeTensors.Read(path).Metadata["vocabulary"]);
            Assert.Equal(vocab.Tokens, restored.Tokens);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
