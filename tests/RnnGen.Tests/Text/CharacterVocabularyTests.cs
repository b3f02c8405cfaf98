namespace RnnGen.Tests.Text;

public class CharacterVocabularyTests
{
    [Fact]
    public void Ids_follow_descending_frequency_then_ordinal_order()
    {
        var vocab = Vocabulary.Characters("abracadabra");
        // a:5, b:2, r:2, c:1, d:1
        Assert.Equal(["a", "b", "r", "c", "d"], vocab.Tokens);
        Assert.Equal(5, vocab.Count);
        Assert.Equal(VocabularyKind.Characters, vocab.Kind);
        Assert.Equal(2, vocab.IdOf("r"));
        Assert.Equal("c", vocab[3]);
        Assert.Null(vocab.UnknownId);
    }

    [Fact]
    public void Encode_and_decode_round_trip()
    {
        string text = "To be, or not to be:\r\nthat is the question.";
        var vocab = Vocabulary.Characters(text);
        int[] ids = vocab.Encode(text);
        Assert.Equal(text, vocab.Decode(ids));
        Assert.Equal(text.Length - 1, ids.Length); // "\r\n" is one text element
        Assert.Contains("\r\n", vocab.Tokens);
    }

    [Fact]
    public void Chinese_text_and_emoji_sequences_are_whole_characters()
    {
        string family = "\U0001F468\u200D\U0001F469\u200D\U0001F467"; // man ZWJ woman ZWJ girl
        string thumbs = "\U0001F44D\U0001F3FD";                         // thumbs up, medium skin tone
        string accented = "e\u0301";                                     // e + combining acute
        string text = "语言模型很好" + family + thumbs + accented + "语言";
        var vocab = Vocabulary.Characters(text);
        Assert.Contains(family, vocab.Tokens);
        Assert.Contains(thumbs, vocab.Tokens);
        Assert.Contains(accented, vocab.Tokens);
        Assert.Equal(0, vocab.IdOf("言"));   // 语 and 言 occur twice each; U+8A00 sorts before U+8BED
        Assert.Equal(1, vocab.IdOf("语"));
        int[] ids = vocab.Encode(text);
        Assert.Equal(11, ids.Length);
        Assert.Equal(text, vocab.Decode(ids));
    }

    [Fact]
    public void Rune_mode_splits_clusters_into_code_points()
    {
        string text = "e\u0301\U0001F44D\U0001F3FD";
        var vocab = Vocabulary.Characters(text, new CharacterOptions { Unit = CharacterUnit.Runes });
        Assert.Equal(4, vocab.Count);
        Assert.Contains("\U0001F44D", vocab.Tokens);
        Assert.Contains("\u0301", vocab.Tokens);
        Assert.Equal(4, vocab.Encode(text).Length);
        Assert.Equal(text, vocab.Decode(vocab.Encode(text)));
    }

    [Fact]
    public void Unknown_characters_name_the_character_and_position_unless_unk_is_reserved()
    {
        var vocab = Vocabulary.Characters("hello");
        var ex = Assert.Throws<ArgumentException>(() => vocab.Encode("hell😀o"));
        Assert.Contains("'😀'", ex.Message);
        Assert.Contains("U+1F600", ex.Message);
        Assert.Contains("position 4", ex.Message);
        Assert.Equal("text", ex.ParamName);

        var withUnk = Vocabulary.Characters("hello", new CharacterOptions { SpecialTokens = SpecialTokens.Unknown });
        Assert.Equal(0, withUnk.UnknownId);
        Assert.Equal([withUnk.IdOf("l"), withUnk.IdOf("h"), 0, withUnk.IdOf("o")], withUnk.Encode("lhxo"));
        Assert.Equal("l" + "h" + "<unk>" + "o", withUnk.Decode(withUnk.Encode("lhxo")));
    }

    [Fact]
    public void Reserved_tokens_take_the_first_ids_in_a_fixed_order()
    {
        var all = Vocabulary.Characters("ba", new CharacterOptions { SpecialTokens = SpecialTokens.EndOfSequence | SpecialTokens.Padding | SpecialTokens.Unknown | SpecialTokens.BeginOfSequence });
        Assert.Equal(["<pad>", "<unk>", "<bos>", "<eos>", "a", "b"], all.Tokens);
        Assert.Equal((0, 1, 2, 3), (all.PaddingId, all.UnknownId, all.BeginId, all.EndId));

        var some = Vocabulary.Characters("ba", new CharacterOptions { SpecialTokens = SpecialTokens.EndOfSequence | SpecialTokens.BeginOfSequence });
        Assert.Equal(["<bos>", "<eos>", "a", "b"], some.Tokens);
        Assert.Null(some.PaddingId);
        Assert.Equal(1, some.EndId);
        Assert.Equal(1, some.IdOf(Vocabulary.EndToken));
    }

    [Fact]
    public void Rare_characters_are_dropped_by_min_count_and_max_size()
    {
        string text = "aaaabbbccd";
        var byCount = Vocabulary.Characters(text, new CharacterOptions { MinCount = 2, SpecialTokens = SpecialTokens.Unknown });
        Assert.Equal(["<unk>", "a", "b", "c"], byCount.Tokens);
        Assert.Equal(byCount.UnknownId, byCount.Encode("d")[0]);
        var bySize = Vocabulary.Characters(text, new CharacterOptions { MaxSize = 2 });
        Assert.Equal(["a", "b"], bySize.Tokens);
        Assert.Throws<ArgumentOutOfRangeException>(() => Vocabulary.Characters(text, new CharacterOptions { MinCount = 0 }));
    }

    [Fact]
    public void Lookups_report_missing_tokens_and_ids()
    {
        var vocab = Vocabulary.Characters("ab");
        Assert.Throws<KeyNotFoundException>(() => vocab.IdOf("z"));
        Assert.False(vocab.TryGetId("z", out _));
        Assert.True(vocab.TryGetId("b", out int b));
        Assert.Equal(1, b);
        Assert.True(vocab.Contains("a"));
        Assert.Throws<ArgumentOutOfRangeException>(() => vocab[2]);
        Assert.Throws<ArgumentOutOfRangeException>(() => vocab[-1]);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => vocab.Decode([0, 5]));
        Assert.Contains("ids[1] is 5", ex.Message);
        Assert.Equal("", vocab.Decode([]));
        Assert.Empty(vocab.Encode(""));
    }

    [Fact]
    public void The_same_text_always_gives_the_same_ids()
    {
        var random = new Random(7);
        string text = new(Enumerable.Range(0, 5000).Select(_ => (char)('a' + random.Next(26))).ToArray());
        var first = Vocabulary.Characters(text);
        var second = Vocabulary.Characters(new string(text.Reverse().ToArray()));
        Assert.Equal(first.Tokens, second.Tokens);
    }
}
