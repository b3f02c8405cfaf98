using System.Text;
using CharLm;

namespace RnnGen.CharLm.Tests;

public class HelpAndErrorTests
{
    [Fact]
    public void Help_lists_commands_options_and_presets()
    {
        var r = CliRunner.Run("--help");
        Assert.Equal(0, r.ExitCode);
        foreach (var word in new[] { "train", "sample", "eval", "--text", "--model", "--minutes", "--resume", "--top-p", "gru-tiny", "lstm-large", "(default)" })
            Assert.Contains(word, r.Out);
        Assert.Equal("", r.Err);
    }

    [Theory]
    [InlineData("sample", "--temperature", "--checkpoint")]
    [InlineData("eval", "--checkpoint", "--batch")]
    public void Each_command_has_its_own_generated_help(string command, string has, string alsoHas)
    {
        foreach (var args in new[] { new[] { command, "--help" }, new[] { "help", command } })
        {
            var r = CliRunner.Run(args);
            Assert.Equal(0, r.ExitCode);
            Assert.Contains($" {command} [options]", r.Out); // after the program name: rnngen, or the test host here
            Assert.Contains(has, r.Out);
            Assert.Contains(alsoHas, r.Out);
            Assert.DoesNotContain("--minutes", r.Out); // a train option
        }
    }

    [Fact]
    public void Help_for_an_unknown_command_is_a_usage_error()
    {
        var r = CliRunner.Run("help", "fly");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("unknown command 'fly'", r.Err);
    }

    [Fact]
    public void Shell_completion_offers_the_presets_after_model()
    {
        // dotnet-suggest's shell scripts call the program with the [suggest:POSITION] directive and the line so far.
        var r = CliRunner.Run("[suggest:8]", "--model ");
        Assert.Equal(0, r.ExitCode);
        var offered = r.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var preset in Presets.All) Assert.Contains(preset.Name, offered);
        Assert.Contains("list", offered);
    }

    [Fact]
    public void An_option_before_the_command_is_refused_not_dropped()
    {
        var r = CliRunner.Run("--seed", "3", "sample");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("'--seed' comes before the command 'sample': the command comes first", r.Err);
    }

    [Fact]
    public void Model_list_shows_presets_with_parameter_counts()
    {
        var r = CliRunner.Run("--model", "list");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("gru-tiny", r.Out);
        Assert.Contains("9,504", r.Out); // (96*16) + GRU(16->32) + (96*32 + 96)
        foreach (var preset in Presets.All) Assert.Contains(preset.Name, r.Out);
    }

    [Fact]
    public void Unknown_option_is_a_usage_error()
    {
        var r = CliRunner.Run("train", "--nope");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("error: unknown option '--nope'", r.Err);
        Assert.Contains("--help", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Fact]
    public void Unknown_model_names_the_option()
    {
        var r = CliRunner.Run("--model", "gpt-5");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("--model: unknown model 'gpt-5'", r.Err);
    }

    [Fact]
    public void Missing_text_file()
    {
        using var dir = new TempDir();
        string missing = dir.File("missing.txt");
        var r = CliRunner.Run("train", "--text", missing, "--out", dir.File("out"));
        Assert.Equal(ExitCodes.Input, r.ExitCode);
        Assert.Contains($"--text: no file or folder '{missing}'", r.Err);
    }

    [Fact]
    public void Empty_corpus()
    {
        using var dir = new TempDir();
        string empty = dir.File("empty.txt");
        File.WriteAllText(empty, "  \n");
        var r = CliRunner.Run("train", "--text", empty, "--out", dir.File("out"));
        Assert.Equal(ExitCodes.Input, r.ExitCode);
        Assert.Contains($"'{empty}' is empty", r.Err);
    }

    [Fact]
    public void Folder_without_txt_files()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("train", "--text", dir.Path, "--out", dir.File("out"));
        Assert.Equal(ExitCodes.Input, r.ExitCode);
        Assert.Contains("holds no *.txt files", r.Err);
    }

    [Fact]
    public void Non_utf8_corpus_names_the_file_and_byte_offset()
    {
        using var dir = new TempDir();
        string latin1 = dir.File("latin1.txt");
        File.WriteAllBytes(latin1, [.. Encoding.ASCII.GetBytes("caf"), 0xE9, .. Encoding.ASCII.GetBytes(" au lait")]);
        var r = CliRunner.Run("train", "--text", latin1, "--out", dir.File("out"));
        Assert.Equal(ExitCodes.Input, r.ExitCode);
        Assert.Contains($"'{latin1}' is not UTF-8 text: invalid byte 0xE9 at byte offset 3", r.Err);
        Assert.DoesNotContain("   at ", r.Err);
    }

    [Fact]
    public void Too_small_corpus_says_what_to_do()
    {
        using var dir = new TempDir();
        string small = dir.File("small.txt");
        File.WriteAllText(small, "just a few words");
        var r = CliRunner.Run("train", "--text", small, "--out", dir.File("out"));
        Assert.Equal(ExitCodes.Input, r.ExitCode);
        Assert.Contains("too few for one window", r.Err);
    }

    [Fact]
    public void Resume_without_a_checkpoint()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("train", "--resume", "--out", dir.Path);
        Assert.Equal(ExitCodes.Input, r.ExitCode);
        Assert.Contains("--resume: there is no", r.Err);
        Assert.Contains("last.safetensors", r.Err);
    }

    [Fact]
    public void Sample_without_a_checkpoint()
    {
        using var dir = new TempDir();
        var r = CliRunner.Run("sample", "--checkpoint", dir.File("nope.safetensors"));
        Assert.Equal(ExitCodes.Input, r.ExitCode);
        Assert.Contains("--checkpoint: no file", r.Err);
    }
}
