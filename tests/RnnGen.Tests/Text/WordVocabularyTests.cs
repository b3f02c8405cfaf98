namespace RnnGen.Tests.Text;

public class WordVocabularyTests
{
    [Fact]
    public void Default_cleaning_lower_cases_and_removes_symbols_digits_and_punctuation()
    {
        var vocab = Vocabulary.Words("The cat sat. THE cat, on 2 mats! $5 #tag 😀 the end.");
        // the:3, cat:2, then ordinal: end, mats, on, sat, tag
        Assert.Equal(["<unk>", "the", "cat", "end", "mats", "on", "sat", "tag"], vocab.Tokens);
        Assert.Equal(VocabularyKind.Words, vocab.Kind);
        Assert.Equal(0, vocab.UnknownId);
    }

    [Fact]
    public void Removed_characters_separate_words_and_inner_apostrophes_stay()
    {
        var vocab = Vocabulary.Words("end.Next well-known don't l’homme 'quoted' rock'n'roll abc123def");
        Assert.Equal(
            ["<unk>", "abc", "def", "don't", "end", "known", "l’homme", "next", "quoted", "rock'n'roll", "well"],
            vocab.Tokens);
        var plain = Vocabulary.Words("don't", new WordOptions { KeepInnerApostrophes = false });
        Assert.Equal(["<unk>", "don", "t"], plain.Tokens);
    }

    [Fact]
    public void Kept_punctuation_and_symbols_become_tokens_of_their_own()
    {
        var options = new WordOptions { RemovePunctuation = false, RemoveSymbols = false, RemoveDigits = false, LowerCase = false };
        var vocab = Vocabulary.Words("Hi, World! 2 + 2 = 4 😀👍🏽", options);
        int[] ids = vocab.Encode("Hi, World! 2 + 2 = 4 😀👍🏽");
        Assert.Equal(["Hi", ",", "World", "!", "2", "+", "2", "=", "4", "😀", "👍🏽"], ids.Select(i => vocab[i]));
        Assert.Equal("Hi , World ! 2 + 2 = 4 😀 👍🏽", vocab.Decode(ids));
    }

    [Fact]
    public void Encode_applies_the_same_cleaning_and_maps_unseen_words_to_unk()
    {
        var vocab = Vocabulary.Words("the quick brown fox");
        int[] ids = vocab.Encode("The QUICK, red fox!!");
        Assert.Equal([vocab.IdOf("the"), vocab.IdOf("quick"), 0, vocab.IdOf("fox")], ids);
        Assert.Equal("the quick <unk> fox", vocab.Decode(ids));
    }

    [Fact]
    public void Min_count_and_max_size_send_rare_words_to_unk()
    {
        string text = "a a a b b c";
        var vocab = Vocabulary.Words(text, new WordOptions { MinCount = 2 });
        Assert.Equal(["<unk>", "a", "b"], vocab.Tokens);
        Assert.Equal([1, 1, 1, 2, 2, 0], vocab.Encode(text));
        Assert.Equal(["<unk>", "a"], Vocabulary.Words(text, new WordOptions { MaxSize = 1 }).Tokens);
    }

    [Fact]
    public void Without_unk_an_unseen_word_is_named_with_its_position()
    {
        var vocab = Vocabulary.Words("alpha beta", new WordOptions { SpecialTokens = SpecialTokens.None });
        Assert.Equal(["alpha", "beta"], vocab.Tokens);
        var ex = Assert.Throws<ArgumentException>(() => vocab.Encode("beta, Gamma alpha"));
        Assert.Contains("'gamma'", ex.Message);
        Assert.Contains("position 6", ex.Message);
    }

    [Fact]
    public void Reserved_token_names_in_text_are_ordinary_text()
    {
        // '<' and '>' are symbols: removed by default, tokens of their own when kept. Either way the text
        // "<eos>" never turns into the reserved id.
        var options = new WordOptions { SpecialTokens = SpecialTokens.Unknown | SpecialTokens.EndOfSequence };
        var vocab = Vocabulary.Words("a <eos> b", options);
        Assert.Equal(["<unk>", "<eos>", "a", "b", "eos"], vocab.Tokens);
        var kept = Vocabulary.Words("a <eos> b", options with { RemoveSymbols = false });
        Assert.Equal(["a", "<", "eos", ">", "b"], kept.Encode("a <eos> b").Select(i => kept[i]));
    }

    [Fact]
    public void Letters_outside_the_basic_plane_are_lower_cased()
    {
        // Deseret capital long I (U+10400) lower-cases to U+10428.
        var vocab = Vocabulary.Words("\U00010400x \U00010428x");
        Assert.Equal(["<unk>", "\U00010428x"], vocab.Tokens);
    }
}
