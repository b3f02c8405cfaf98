namespace RnnGen.Tests.Seq2Seq;

/// <summary>The generated corpus's rules on chosen numbers and dates, its split, and BLEU on hand-worked examples.</summary>
public class TranslationCorpusTests
{
    [Theory]
    [InlineData(0, "零")]
    [InlineData(7, "七")]
    [InlineData(10, "十")]
    [InlineData(15, "十五")]
    [InlineData(20, "二十")]
    [InlineData(115, "一百一十五")]
    [InlineData(1005, "一千零五")]
    [InlineData(1050, "一千零五十")]
    [InlineData(2005, "二千零五")]
    [InlineData(10005, "一万零五")]
    [InlineData(20304, "二万零三百零四")]
    [InlineData(30000, "三万")]
    [InlineData(110000, "十一万")]
    [InlineData(100010, "十万零一十")]
    [InlineData(150000, "十五万")]
    [InlineData(1000500, "一百万零五百")]
    [InlineData(100000005, "一亿零五")]
    [InlineData(100050000, "一亿零五万")]
    [InlineData(110000000, "一亿一千万")]
    [InlineData(123456789, "一亿二千三百四十五万六千七百八十九")]
    [InlineData(999999999, "九亿九千九百九十九万九千九百九十九")]
    public void Chinese_numerals_follow_the_rules(long n, string expected) => Assert.Equal(expected, ChineseNumerals.FromNumber(n));

    [Theory]
    [InlineData(0, "zero")]
    [InlineData(21, "twenty-one")]
    [InlineData(120, "one hundred and twenty")]
    [InlineData(2005, "two thousand and five")]
    [InlineData(30000, "thirty thousand")]
    [InlineData(305000, "three hundred and five thousand")]
    [InlineData(1000020, "one million and twenty")]
    [InlineData(1000100, "one million one hundred")]
    [InlineData(999999999, "nine hundred and ninety-nine million nine hundred and ninety-nine thousand nine hundred and ninety-nine")]
    public void English_numbers_are_British_with_and(long n, string expected) => Assert.Equal(expected, EnglishNumbers.FromNumber(n));

    [Fact]
    public void Dates_read_month_day_year_and_translate_to_nian_yue_ri()
    {
        var date = new DateOnly(2024, 3, 5);
        Assert.Equal("March 5, 2024", EnglishNumbers.Date(date));
        Assert.Equal("2024年3月5日", EnglishNumbers.ChineseDate(date));
        Assert.Equal(["march", "5", ",", "2", "0", "2", "4"], TranslationCorpus.SourceTokens("March 5, 2024"));
        Assert.Equal(["twenty", "one", "thousand"], TranslationCorpus.SourceTokens("twenty-one thousand"));
    }

    [Fact]
    public void Splits_share_no_value_and_each_value_has_one_split()
    {
        var corpus = TranslationCorpus.Generate(6000, seed: 3);
        var train = corpus.Train.Select(p => p.Key).ToHashSet();
        var validation = corpus.Validation.Select(p => p.Key).ToHashSet();
        var test = corpus.Test.Select(p => p.Key).ToHashSet();
        Assert.Equal(6000, train.Count + validation.Count + test.Count);
        Assert.Empty(train.Intersect(validation));
        Assert.Empty(train.Intersect(test));
        Assert.Empty(validation.Intersect(test));
        Assert.InRange(test.Count, 150, 450);
        // The split depends on the value only: another seed and size puts shared values in the same split.
        var other = TranslationCorpus.Generate(3000, seed: 9);
        Assert.All(other.Test, p => Assert.DoesNotContain(p.Key, train));
        Assert.All(corpus.Train.Concat(corpus.Test), p => Assert.Equal(TranslationCorpus.SplitOf(p.Key), train.Contains(p.Key) ? CorpusSplit.Train : CorpusSplit.Test));
        Assert.Contains(corpus.Train, p => p.Key.StartsWith("date:", StringComparison.Ordinal));
        Assert.Contains(corpus.Train, p => p.Target.Contains('亿'));
        Assert.Contains(corpus.Train, p => p.Target.Contains('零'));
    }

    [Fact]
    public void Bleu_matches_hand_worked_examples()
    {
        Assert.Equal(1.0, Bleu.Characters(["二千零五"], ["二千零五"]), 12);
        // All n-grams match, but 4 characters against 5: brevity penalty exp(1 - 5/4).
        Assert.Equal(Math.Exp(-0.25), Bleu.Characters(["二千零五"], ["二千零五十"]), 12);
        // One wrong last character: precisions 4/5, 3/4, 2/3, 1/2; geometric mean 0.2^(1/4).
        Assert.Equal(Math.Pow(0.2, 0.25), Bleu.Characters(["一二三四五"], ["一二三四六"]), 12);
        // Counts are clipped to the reference and summed over the corpus before dividing.
        Assert.Equal(0, Bleu.Characters(["五五五五"], ["五"]), 12);
        // Two sentences: every n-gram matches (6/6, 4/4, 2/2, 1/1) but 6 characters against 7.
        Assert.Equal(Math.Exp(1 - 7.0 / 6),
            Bleu.Characters(["三万", "一二三四"], ["三万", "一二三四五"]), 12);
    }
}
