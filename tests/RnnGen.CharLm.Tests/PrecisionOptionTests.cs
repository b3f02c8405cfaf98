using CharLm;
using CharLm.Commands;

namespace RnnGen.CharLm.Tests;

/// <summary>--precision on eval and sample: how it parses, how a bad value fails, and what it computes.</summary>
public class PrecisionOptionTests
{
    [Theory]
    [InlineData("eval", "fp32", Precision.Float32)]
    [InlineData("eval", "bf16", Precision.BFloat16)]
    [InlineData("eval", "int8", Precision.Int8)]
    [InlineData("sample", "INT8", Precision.Int8)]
    [InlineData("sample", "bfloat16", Precision.BFloat16)]
    [InlineData("sample", "float32", Precision.Float32)]
    public void The_option_parses_on_eval_and_sample(string command, string value, Precision expected)
    {
        Assert.Equal(expected, OptionParser.Parse([command, "--precision", value]).Precision);
        Assert.Null(OptionParser.Parse([command]).Precision);
    }

    [Theory]
    [InlineData("fp16")]
    [InlineData("8")]
    public void A_bad_value_is_a_usage_error_naming_the_option_and_the_choices(string value)
    {
        var e = Assert.Throws<CliException>(() => OptionParser.Parse(["eval", "--precision", value]));
        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Contains("--precision", e.Message);
        Assert.Contains($"'{value}'", e.Message);
        Assert.Contains("fp32, bf16 or int8", e.Message);
    }

    [Fact]
    public void Train_does_not_take_it()
    {
        var e = Assert.Throws<CliException>(() => OptionParser.Parse(["train", "--precision", "int8"]));
        Assert.Equal(ExitCodes.Usage, e.ExitCode);
        Assert.Contains("--precision", e.Message);
    }

    [Theory]
    [InlineData(4, 16)]
    [InlineData(3, 7)]
    [InlineData(64, 64)] // more rows than the text fills: both pick the same fewer rows
    public void Eval_through_an_fp32_session_equals_eval_through_the_forward_pass(int batch, int steps)
    {
        var (model, tokens) = Model();
        float forward = Trainer.Evaluate(model, tokens, batch, steps);
        float session = SessionEvaluation.Loss(model, tokens, batch, steps, Precision.Float32);
        Assert.True(Math.Abs(session - forward) <= 1e-4 * forward, $"session {session}, forward pass {forward}");
    }

    [Fact]
    public void Eval_at_int8_costs_little_and_is_not_the_fp32_loss()
    {
        var (model, tokens) = Model();
        float fp32 = SessionEvaluation.Loss(model, tokens, 4, 16, Precision.Float32);
        float int8 = SessionEvaluation.Loss(model, tokens, 4, 16, Precision.Int8);
        Assert.NotEqual(fp32, int8);
        Assert.True(Math.Abs(int8 - fp32) <= 0.02 * fp32, $"int8 {int8}, fp32 {fp32}");
    }

    [Fact]
    public void Sample_at_fp32_gives_the_text_of_Generate()
    {
        var (model, _) = Model();
        var vocab = Vocabulary.Characters("abcdefghijklmnopqrstuvwxyz ");
        string expected = model.Generate(vocab, "ab", 60, 0.8f, 0, 1, 5);
        Assert.Equal(expected, SampleCommand.Generate(model, vocab, "ab", 60, 0.8f, 0, 1, 5, Precision.Float32));
        Assert.StartsWith("ab", SampleCommand.Generate(model, vocab, "ab", 60, 0.8f, 0, 1, 5, Precision.Int8));
    }

    /// <summary>gru-tiny over 27 characters with weights at a trained model's scale (3 x PyTorch's initial ones), and 900 tokens.</summary>
    private static (LanguageModel Model, int[] Tokens) Model()
    {
        var model = Presets.All.Single(p => p.Name == "gru-tiny").Create(27, 2);
        var values = model.Network.Parameters.Values;
        for (int i = 0; i < values.Length; i++) values[i] *= 3;
        var random = new Random(4);
        var tokens = Enumerable.Range(0, 900).Select(i => i % 5 == 0 ? 26 : random.Next(6)).ToArray();
        return (model, tokens);
    }
}
