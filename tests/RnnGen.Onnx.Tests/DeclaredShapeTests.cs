namespace RnnGen.Onnx.Tests;

/// <summary>The graph declares its batch and steps axes as named dynamic dimensions (dim_param), the rest as sizes.</summary>
public sealed class DeclaredShapeTests
{
    [Fact]
    public void A_language_model_declares_dynamic_batch_and_steps_and_fixed_widths()
    {
        var model = new LstmLm2(13);
        using var folder = new TempFolder();
        string path = folder.File("model.onnx");
        model.ExportOnnx(path);
        using var onnx = new OnnxRun(path);

        Assert.Equal(["tokens", "state_in_0", "state_in_1", "state_in_2", "state_in_3"], onnx.Inputs.Keys);
        Assert.Equal(["logits", "state_out_0", "state_out_1", "state_out_2", "state_out_3"], onnx.Outputs.Keys);
        var tokens = onnx.Inputs["tokens"];
        Assert.Equal(typeof(long), tokens.ElementType);
        Assert.Equal(["batch", "steps"], tokens.SymbolicDimensions);
        Assert.Equal([-1, -1], tokens.Dimensions);
        var logits = onnx.Outputs["logits"];
        Assert.Equal(["batch", "steps", ""], logits.SymbolicDimensions);
        Assert.Equal([-1, -1, 13], logits.Dimensions);
        // LSTM layers: h then c; the bottom layer is 8 wide, the top 6.
        int[] widths = [8, 8, 6, 6];
        for (int k = 0; k < widths.Length; k++)
            foreach (var value in new[] { onnx.Inputs[$"state_in_{k}"], onnx.Outputs[$"state_out_{k}"] })
            {
                Assert.Equal(typeof(float), value.ElementType);
                Assert.Equal(["", "batch", ""], value.SymbolicDimensions);
                Assert.Equal([1, -1, widths[k]], value.Dimensions);
            }
    }

    [Fact]
    public void The_file_names_RnnGen_as_its_producer_and_describes_the_model()
    {
        var model = new GruLm1(5);
        using var folder = new TempFolder();
        string path = folder.File("model.onnx");
        model.ExportOnnx(path);
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(path);
        Assert.Equal("RnnGen", session.ModelMetadata.ProducerName);
        Assert.Equal(model.Configuration.ToString(), session.ModelMetadata.Description);
    }

    [Fact]
    public void Metadata_holds_the_configuration_and_what_the_caller_adds()
    {
        var model = new BiGruMeanClassifier(7);
        using var folder = new TempFolder();
        string path = folder.File("model.onnx");
        model.ExportOnnx(path, metadata: new Dictionary<string, string> { ["rnngen.vocabulary"] = "[\"a\",\"b\"]" });
        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(path);
        var map = session.ModelMetadata.CustomMetadataMap;
        Assert.Equal("[\"a\",\"b\"]", map["rnngen.vocabulary"]);
        Assert.True(model.Configuration.SameShapeAs(ModelConfiguration.FromJson(map[ModelConfiguration.MetadataKey])));
    }
}
