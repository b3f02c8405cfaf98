using CharLm;

namespace RnnGen.CharLm.Tests;

/// <summary><c>rnngen export</c>: a trained checkpoint written as an ONNX model (ONNX Runtime runs it in RnnGen.Onnx.Tests).</summary>
public class ExportCommandTests
{
    [Fact]
    public void Export_writes_an_onnx_model_of_the_checkpoint()
    {
        using var dir = new TempDir();
        string corpus = TestCorpus.Write(dir);
        string run = dir.File("run");
        var train = CliRunner.Run(["train", "--text", corpus, "--out", run, "--epochs", "1", "--length", "10", .. EndToEndTests.TinyTraining]);
        Assert.True(train.ExitCode == 0, train.Err + train.Out);

        string onnx = dir.File("model.onnx");
        var export = CliRunner.Run("export", "--checkpoint", Path.Combine(run, "best.safetensors"), "--onnx", onnx);
        Assert.True(export.ExitCode == 0, export.Err);
        Assert.Contains($"{onnx}: ", export.Out);
        Assert.Contains("state_in_0", export.Out);

        // A ModelProto starts with ir_version (field 1, varint: 0x08) = 8, then producer_name (field 2, bytes: 0x12) "RnnGen".
        var bytes = File.ReadAllBytes(onnx);
        Assert.Equal(new byte[] { 0x08, 0x08, 0x12, 6, (byte)'R', (byte)'n', (byte)'n', (byte)'G', (byte)'e', (byte)'n' }, bytes[..10]);
        Assert.True(bytes.Length > 4 * Presets.Find("gru-tiny")!.ParameterCount(Vocabulary.Characters(File.ReadAllText(corpus)).Count),
            "the file holds every weight as float32");

        // The default checkpoint of --out, as sample and eval read it.
        string second = dir.File("second.onnx");
        Assert.Equal(0, CliRunner.Run("export", "--out", run, "--onnx", second).ExitCode);
        Assert.Equal(bytes, File.ReadAllBytes(second));
    }

    [Fact]
    public void Export_without_onnx_is_a_usage_error()
    {
        var r = CliRunner.Run("export", "--checkpoint", "x.safetensors");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("error: export needs --onnx FILE", r.Err);
    }

    [Fact]
    public void Export_names_a_missing_checkpoint_and_a_missing_folder()
    {
        using var dir = new TempDir();
        string missing = dir.File("missing.safetensors");
        var r = CliRunner.Run("export", "--checkpoint", missing, "--onnx", dir.File("m.onnx"));
        Assert.Equal(ExitCodes.Input, r.ExitCode);
        Assert.Contains($"--checkpoint: no file '{missing}'", r.Err);
        Assert.False(File.Exists(dir.File("m.onnx")));

        string nowhere = Path.Combine(dir.Path, "absent", "m.onnx");
        var folder = CliRunner.Run("export", "--checkpoint", missing, "--onnx", nowhere);
        Assert.Equal(ExitCodes.Input, folder.ExitCode);
        Assert.Contains($"--onnx: cannot write '{nowhere}'", folder.Err);
        Assert.DoesNotContain("   at ", folder.Err);
    }

    [Fact]
    public void Export_is_a_command_with_its_own_help()
    {
        var r = CliRunner.Run("export", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("--onnx", r.Out);
        Assert.Contains("--checkpoint", r.Out);
        Assert.Equal(Command.Export, OptionParser.Parse(["export", "--onnx", "m.onnx"]).Command);
    }
}
