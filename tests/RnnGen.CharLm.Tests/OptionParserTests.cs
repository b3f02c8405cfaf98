using CharLm;

namespace RnnGen.CharLm.Tests;

public class OptionParserTests
{
    [Fact]
    public void No_arguments_means_train_with_defaults()
    {
        var o = OptionParser.Parse([]);
        Assert.Equal(Command.Train, o.Command);
        Assert.Equal("runs/charlm", o.Out);
        Assert.Null(o.Text);
        Assert.Null(o.Model);
        Assert.Null(o.Epochs);
        Assert.Null(o.Minutes);
        Assert.Null(o.Batch);
        Assert.Null(o.Steps);
        Assert.Null(o.LearningRate);
        Assert.Null(o.Seed);
        Assert.False(o.Resume);
        Assert.Null(o.Checkpoint);
        Assert.Equal(Options.DefaultLength, o.Length);
        Assert.Equal(Options.DefaultTemperature, o.Temperature);
        Assert.Equal(0, o.TopK);
        Assert.Equal(1f, o.TopP);
        Assert.Null(o.Prompt);
        Assert.False(o.Help);
    }

    [Theory]
    [InlineData("train", Command.Train)]
    [InlineData("sample", Command.Sample)]
    [InlineData("eval", Command.Eval)]
    [InlineData("help", Command.Help)]
    public void Commands(string word, Command expected) => Assert.Equal(expected, OptionParser.Parse([word]).Command);

    [Fact]
    public void Every_train_option_is_read()
    {
        var o = OptionParser.Parse([
            "train", "--text", "a.txt", "--model", "gru-small", "--epochs", "3", "--minutes", "1.5", "--validation", "0.1", "--batch", "8", "--steps", "16",
            "--lr", "0.01", "--seed", "42", "--out", "o", "--resume", "--length", "99", "--top-k", "5", "--top-p", "0.9", "--prompt", "Hello",
        ]);
        Assert.Equal(Command.Train, o.Command);
        Assert.Equal("a.txt", o.Text);
        Assert.Equal("gru-small", o.Model);
        Assert.Equal(3, o.Epochs);
        Assert.Equal(1.5, o.Minutes);
        Assert.Equal(0.1, o.Validation);
        Assert.Equal(8, o.Batch);
        Assert.Equal(16, o.Steps);
        Assert.Equal(0.01f, o.LearningRate);
        Assert.Equal(42, o.Seed);
        Assert.Equal("o", o.Out);
        Assert.True(o.Resume);
        Assert.Equal(99, o.Length);
        Assert.Equal(5, o.TopK);
        Assert.Equal(0.9f, o.TopP);
        Assert.Equal("Hello", o.Prompt);
    }

    [Fact]
    public void Every_sample_and_eval_option_is_read()
    {
        var o = OptionParser.Parse([
            "sample", "--checkpoint", "c.safetensors", "--out", "o", "--model", "gru-small", "--prompt", "Hi", "--length", "7",
            "--temperature", "0.5", "--top-k", "5", "--top-p", "0.9", "--seed", "3",
        ]);
        Assert.Equal(Command.Sample, o.Command);
        Assert.Equal("c.safetensors", o.Checkpoint);
        Assert.Equal("o", o.Out);
        Assert.Equal("gru-small", o.Model);
        Assert.Equal("Hi", o.Prompt);
        Assert.Equal(7, o.Length);
        Assert.Equal(0.5f, o.Temperature);
        Assert.Equal(5, o.TopK);
        Assert.Equal(0.9f, o.TopP);
        Assert.Equal(3, o.Seed);

        var e = OptionParser.Parse(["evaluate", "--checkpoint", "c.safetensors", "--text", "t.txt", "--batch", "2", "--steps", "9"]);
        Assert.Equal(Command.Eval, e.Command);
        Assert.Equal(("c.safetensors", "t.txt", 2, 9), (e.Checkpoint, e.Text, e.Batch, e.Steps));
        Assert.Equal(Command.Sample, OptionParser.Parse(["generate"]).Command);
    }

    [Theory]
    [InlineData("sample", "--epochs", "unknown option '--epochs' for sample: it is an option of 'rnngen train'")]
    [InlineData("train", "--temperature", "unknown option '--temperature' for train: it is an option of 'rnngen sample'")]
    [InlineData("eval", "--prompt", "unknown option '--prompt' for eval: it is an option of 'rnngen train'")]
    public void An_option_of_another_command_says_whose_it_is(string command, string option, string message)
    {
        var e = Assert.Throws<CliException>(() => OptionParser.Parse([command, option, "1"]));
        Assert.Equal(message, e.Message);
        Assert.Equal(ExitCodes.Usage, e.ExitCode);
    }

    [Fact]
    public void An_option_given_twice_is_an_error()
    {
        var e = Assert.Throws<CliException>(() => OptionParser.Parse(["--seed", "1", "--seed", "2"]));
        Assert.Equal("option '--seed' is given 2 times ('1', '2'); give it once", e.Message);
    }

    [Fact]
    public void Values_may_be_negative_numbers_or_start_with_dashes_after_equals()
    {
        var o = OptionParser.Parse(["--seed", "-3", "--prompt=--x", "--out", "-"]);
        Assert.Equal(-3, o.Seed);
        Assert.Equal("--x", o.Prompt);
        Assert.Equal("-", o.Out);
    }

    [Fact]
    public void An_at_sign_is_text_not_a_response_file()
    {
        var o = OptionParser.Parse(["sample", "--prompt", "@home", "--checkpoint", "@c"]);
        Assert.Equal("@home", o.Prompt);
        Assert.Equal("@c", o.Checkpoint);
    }

    [Fact]
    public void Name_equals_value_form()
    {
        var o = OptionParser.Parse(["sample", "--length=2", "--prompt=a=b", "--temperature=0"]);
        Assert.Equal(2, o.Length);
        Assert.Equal("a=b", o.Prompt);
        Assert.Equal(0f, o.Temperature);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_flag(string flag) => Assert.True(OptionParser.Parse(["train", flag]).Help);

    [Theory]
    [InlineData(new[] { "--frobnicate" }, "unknown option '--frobnicate'")]
    [InlineData(new[] { "--epoch", "3" }, "unknown option '--epoch'; did you mean '--epochs'?")]
    [InlineData(new[] { "--epochs" }, "option '--epochs' needs a value")]
    [InlineData(new[] { "--epochs", "many" }, "option '--epochs' expects an integer, got 'many'")]
    [InlineData(new[] { "--batch", "0" }, "option '--batch' must be at least 1, got '0'")]
    [InlineData(new[] { "--minutes", "-1" }, "option '--minutes' must be greater than 0, got '-1'")]
    [InlineData(new[] { "--validation", "1" }, "--validation takes a fraction of the text between 0 and 1, such as 0.1; got '1'.")]
    [InlineData(new[] { "--lr", "fast" }, "option '--lr' expects a number, got 'fast'")]
    [InlineData(new[] { "--top-p", "1.5" }, "option '--top-p' must be in (0, 1], got '1.5'")]
    [InlineData(new[] { "sample", "--temperature", "-0.1" }, "option '--temperature' must be 0 (greedy) or more, got '-0.1'")]
    [InlineData(new[] { "--resume=yes" }, "option '--resume' takes no value")]
    [InlineData(new[] { "fly" }, "unknown command 'fly'")]
    [InlineData(new[] { "--out", "--resume" }, "option '--out' needs a value, but is followed by the option '--resume'")]
    [InlineData(new[] { "--text", "-h" }, "option '--text' needs a value")]
    [InlineData(new[] { "--lr", "1e39" }, "option '--lr' is too large, got '1e39'")]
    [InlineData(new[] { "--lr", "1e-50" }, "option '--lr' is too small, got '1e-50': it rounds to 0")]
    [InlineData(new[] { "sample", "--temperature", "1e39" }, "option '--temperature' is too large")]
    [InlineData(new[] { "--top-p", "1e-50" }, "option '--top-p' is too small")]
    [InlineData(new[] { "--minutes", "1e300" }, "option '--minutes' must be at most")]
    [InlineData(new[] { "--resume", "--overwrite" }, "give one of them")]
    [InlineData(new[] { "train", "extra" }, "unexpected argument 'extra'")]
    public void Errors_name_the_option(string[] args, string message)
    {
        var e = Assert.Throws<CliException>(() => OptionParser.Parse(args));
        Assert.Contains(message, e.Message);
        Assert.Equal(ExitCodes.Usage, e.ExitCode);
    }
}
