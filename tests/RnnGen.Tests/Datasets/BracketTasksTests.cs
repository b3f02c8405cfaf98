using RnnGen.Datasets.Synthetic;
using Xunit.Abstractions;

namespace RnnGen.Tests.Datasets;

/// <summary>The bracket tasks: determinism, class balance, hard negatives, depth tags on hand-made strings, and the baselines.</summary>
public sealed class BracketTasksTests(ITestOutputHelper output)
{
    [Fact]
    public void The_same_seed_gives_the_same_data_and_another_seed_other_data()
    {
        var a = BracketTasks.Balanced(200, 2, 20, seed: 7);
        var b = BracketTasks.Balanced(200, 2, 20, seed: 7);
        var c = BracketTasks.Balanced(200, 2, 20, seed: 8);
        Assert.Equal(a.Tokens, b.Tokens);
        Assert.Equal(a.Labels, b.Labels);
        Assert.NotEqual(a.Tokens, c.Tokens);

        var d = BracketTasks.Depth(200, 4, 40, seed: 7);
        var e = BracketTasks.Depth(200, 4, 40, seed: 7);
        Assert.Equal(d.Tokens, e.Tokens);
        Assert.Equal(d.Tags, e.Tags);
        Assert.NotEqual(d.Tokens, BracketTasks.Depth(200, 4, 40, seed: 8).Tokens);
    }

    [Fact]
    public void Balanced_labels_are_equally_frequent_and_true()
    {
        var (tokens, labels) = BracketTasks.Balanced(1000, 3, 21, seed: 1);

        Assert.Equal(500, labels.Count(l => l == 1));
        Assert.Equal(500, labels.Count(l => l == 0));
        for (int i = 0; i < tokens.Count; i++)
        {
            Assert.Equal(labels[i] == 1, BracketTasks.IsBalanced(tokens[i]));
            Assert.InRange(tokens[i].Length, 4, 20); // even lengths inside [3, 21]
            Assert.True(tokens[i].Length % 2 == 0);
            Assert.DoesNotContain(BracketTasks.Filler, tokens[i]);
        }
    }

    [Fact]
    public void Character_counts_do_not_separate_the_classes()
    {
        var (tokens, labels) = BracketTasks.Balanced(4000, 2, 20, seed: 3);

        // Every negative keeps the counts of a balanced string: as many closers as openers of each kind.
        foreach (int[] negative in tokens.Where((_, i) => labels[i] == 0))
        {
            Assert.Equal(negative.Count(t => t == BracketTasks.OpenRound), negative.Count(t => t == BracketTasks.CloseRound));
            Assert.Equal(negative.Count(t => t == BracketTasks.OpenSquare), negative.Count(t => t == BracketTasks.CloseSquare));
        }
        double heldOut = BracketTasks.BagOfCharactersBaseline(tokens, labels);
        double fitted = BracketTasks.BagOfCharactersBaseline(tokens, labels, crossValidated: false);
        output.WriteLine($"bag of characters: {heldOut:P2} held out, {fitted:P2} fitted on the data");
        Assert.InRange(heldOut, 0.46, 0.54);
        Assert.InRange(fitted, 0.5, 0.6);
    }

    [Fact]
    public void Few_negatives_give_themselves_away_locally()
    {
        var (tokens, labels) = BracketTasks.Balanced(2000, 10, 30, seed: 4);

        var negatives = tokens.Where((_, i) => labels[i] == 0).ToList();
        double telling = negatives.Count(n => BracketTasks.HasLocalTell(n)) / (double)negatives.Count;
        output.WriteLine($"negatives with a local tell at length 10-30: {telling:P1}");
        Assert.True(telling < 0.05, $"{telling:P1}");
        Assert.DoesNotContain(tokens.Where((_, i) => labels[i] == 1), BracketTasks.HasLocalTell);
    }

    [Theory]
    [InlineData("()", true)]
    [InlineData("([])[]", true)]
    [InlineData("(.[.].)", true)]
    [InlineData("([)]", false)]
    [InlineData(")(", false)]
    [InlineData("((", false)]
    [InlineData("(]", false)]
    [InlineData("", true)]
    public void Balance_is_judged_with_a_stack(string text, bool balanced) =>
        Assert.Equal(balanced, BracketTasks.IsBalanced(BracketTasks.Encode(text)));

    [Theory]
    [InlineData("(.[])", "11210")]
    [InlineData("((((((.))))))", "1234555543210")]
    [InlineData("..", "00")]
    [InlineData("[](())", "101210")]
    public void Depth_tags_count_open_brackets_up_to_the_cap(string text, string tags) =>
        Assert.Equal(tags.Select(c => c - '0').ToArray(), BracketTasks.DepthTags(BracketTasks.Encode(text)));

    [Fact]
    public void Depth_strings_are_well_formed_and_tagged_with_their_depths()
    {
        var (tokens, tags) = BracketTasks.Depth(500, 4, 40, seed: 2);

        for (int i = 0; i < tokens.Count; i++)
        {
            Assert.InRange(tokens[i].Length, 4, 40);
            Assert.True(BracketTasks.IsBalanced(tokens[i]), BracketTasks.Decode(tokens[i]));
            Assert.Equal(BracketTasks.DepthTags(tokens[i]), tags[i]);
            Assert.Equal(0, tags[i][^1]);
        }
        Assert.Contains(tokens, t => t.Contains(BracketTasks.Filler));
        Assert.Equal(Enumerable.Range(0, BracketTasks.MaxDepth + 1), tags.SelectMany(t => t).Distinct().Order());
    }

    [Fact]
    public void The_current_token_alone_tags_a_third_of_the_depths()
    {
        var (tokens, tags) = BracketTasks.Depth(2000, 4, 40, seed: 1);

        double currentToken = BracketTasks.CurrentTokenBaseline(tokens, tags);
        double majority = BracketTasks.MajorityTagBaseline(tags);
        output.WriteLine($"current token {currentToken:P2}, majority tag {majority:P2}");
        Assert.InRange(currentToken, 0.28, 0.42);
        Assert.InRange(majority, 0.25, currentToken);
    }

    [Fact]
    public void Text_round_trips_and_bad_arguments_are_refused()
    {
        Assert.Equal("([.])", BracketTasks.Decode(BracketTasks.Encode("([.])")));
        Assert.Throws<ArgumentException>(() => BracketTasks.Encode("(x)"));
        Assert.Throws<ArgumentException>(() => BracketTasks.Balanced(10, 3, 3, seed: 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => BracketTasks.Depth(10, 5, 4, seed: 1));
    }
}
