namespace RnnGen.Tests.Training;

/// <summary>Small models for optimiser tests: parameters laid out in one flat buffer, as generated models do.</summary>
internal sealed class TestParameters
{
    public float[] Values { get; }
    public float[] Gradients { get; }
    public IReadOnlyList<Parameter> List { get; }

    /// <param name="shapes">Shapes chosen so that lengths exercise both the vector loop and its scalar tail.</param>
    public TestParameters(int seed, params (string Name, int[] Shape)[] shapes)
    {
        int total = shapes.Sum(s => s.Shape.Aggregate(1, (a, b) => a * b));
        Values = new float[total];
        Gradients = new float[total];
        var random = new Random(seed);
        for (int i = 0; i < total; i++) Values[i] = (float)(random.NextDouble() * 2 - 1);
        var list = new List<Parameter>();
        int offset = 0;
        foreach (var (name, shape) in shapes)
        {
            var p = new Parameter(name, shape, Values, Gradients, offset);
            list.Add(p);
            offset += p.Length;
        }
        List = list;
    }

    public static TestParameters Default(int seed = 1) =>
        new(seed, ("rnn.weight_ih_l0", [5, 7]), ("rnn.bias_ih_l0", [19]), ("output.weight", [3, 16]));

    /// <summary>Fills the gradients with values that depend on the step, so successive steps differ.</summary>
    public void SetGradients(int step)
    {
        var random = new Random(1000 + step);
        for (int i = 0; i < Gradients.Length; i++) Gradients[i] = (float)(random.NextDouble() * 4 - 2);
    }
}
