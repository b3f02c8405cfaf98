namespace RnnGen.Tests.Checkpoints;

public class LoadIntoTests
{
    private static IReadOnlyList<Parameter> Model(out float[] values)
    {
        values = new float[6 + 3 + 4];
        var gradients = new float[values.Length];
        return
        [
            new Parameter("rnn.weight_ih_l0", [3, 2], values, gradients, 0),
            new Parameter("rnn.bias_ih_l0", [3], values, gradients, 6),
            new Parameter("output.weight", [2, 2], values, gradients, 9),
        ];
    }

    [Fact]
    public void Parameters_written_by_name_load_back_into_a_fresh_model()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        var source = Model(out float[] sourceValues);
        for (int i = 0; i < sourceValues.Length; i++) sourceValues[i] = i * 1.5f - 4;
        SafeTensors.Write(path, source, new Dictionary<string, string> { ["epoch"] = "3" });

        var target = Model(out float[] targetValues);
        SafeTensorsFile file = SafeTensors.Read(path);
        file.LoadInto(target);

        Assert.Equal(sourceValues, targetValues);
        Assert.Equal("3", file.Metadata["epoch"]);
    }

    [Fact]
    public void Extra_tensors_in_the_file_are_ignored()
    {
        using var folder = new TempFolder();
        string path = folder.File("model.safetensors");
        var source = Model(out float[] sourceValues);
        sourceValues.AsSpan().Fill(2f);
        SafeTensors.Write(path, source.Select(SafeTensor.FromParameter).Append(new SafeTensor("optimizer.step", [2], [5, 0])));
        var target = Model(out float[] targetValues);
        SafeTensors.Read(path).LoadInto(target);
        Assert.All(targetValues, v => Assert.Equal(2f, v));
    }

    [Fact]
    public void All_missing_and_mis_shaped_tensors_are_reported_together_and_nothing_is_copied()
    {
        using var folder = new TempFolder();
        string path = folder.File("other.safetensors");
        SafeTensors.Write(path,
        [
            new SafeTensor("rnn.weight_ih_l0", [2, 3], new float[6]),
            new SafeTensor("output.weight", [2, 2], [1, 2, 3, 4]),
        ]);
        var target = Model(out float[] targetValues);
        targetValues.AsSpan().Fill(7f);

        var ex = Assert.Throws<CheckpointException>(() => SafeTensors.Read(path).LoadInto(target));

        Assert.StartsWith(path + ": ", ex.Message);
        Assert.Contains("missing tensor 'rnn.bias_ih_l0'", ex.Message);
        Assert.Contains("'rnn.weight_ih_l0' has shape [2, 3] in the file but the model needs [3, 2]", ex.Message);
        Assert.Contains("2 of 3", ex.Message);
        Assert.All(targetValues, v => Assert.Equal(7f, v));
    }
}
