namespace RnnGen.Onnx;

/// <summary>
/// The start every sequence topology's export shares: the input (token ids through the embedding, or a float
/// series), the optional <c>lengths</c> input, and the recurrent stack over both, time-major inside.
/// </summary>
internal sealed class SequenceExport
{
    private SequenceExport(OnnxGraph graph, string input, string? lengths, string y, string lastHidden)
    {
        Graph = graph;
        Input = input;
        Lengths = lengths;
        Y = y;
        LastHidden = lastHidden;
    }

    public OnnxGraph Graph { get; }
    /// <summary>The graph's main input, [batch, steps, ...].</summary>
    public string Input { get; }
    /// <summary>The <c>lengths</c> input (int64 [batch]), or null when the export reads every row in full.</summary>
    public string? Lengths { get; }
    /// <summary>The top layer's outputs, [steps, batch, width] (zeros past each row's length, which nothing reads).</summary>
    public string Y { get; }
    /// <summary>The top layer's hidden state at each row's last real step, [directions, batch, hidden] (the backward half: at step 0).</summary>
    public string LastHidden { get; }

    /// <summary><c>tokens</c> int64 [batch, steps] through the embedding and the stack.</summary>
    public static SequenceExport OfTokens(TokenNetwork<float> net, bool lengths)
    {
        RecurrentStackExport.Check(net.Rnn);
        var g = new OnnxGraph();
        string tokens = g.Input("tokens", OnnxType.Int64, OnnxExport.Batch, OnnxExport.Steps);
        string x = OnnxExport.Embed(g, net.Embedding, net.Parameters, "embedding.weight", tokens);
        return Over(g, net, tokens, x, lengths);
    }

    /// <summary><c>inputs</c> float [batch, steps, size] through the stack.</summary>
    public static SequenceExport OfSeries(ModelNetwork<float> net, bool lengths)
    {
        RecurrentStackExport.Check(net.Rnn);
        var g = new OnnxGraph();
        string series = g.Input("inputs", OnnxType.Float, OnnxExport.Batch, OnnxExport.Steps, (long)net.Rnn.InputSize);
        string x = g.Op("Transpose", [series], OnnxExport.Perm(1, 0, 2));
        return Over(g, net, series, x, lengths);
    }

    private static SequenceExport Over(OnnxGraph g, ModelNetwork<float> net, string input, string x, bool withLengths)
    {
        string? lengths = withLengths ? g.Input("lengths", OnnxType.Int64, OnnxExport.Batch) : null;
        var (y, last) = RecurrentStackExport.Write(g, net.Rnn, net.Parameters, "rnn", x, lengths);
        return new SequenceExport(g, input, lengths, y, last);
    }

    /// <summary>Time-major [steps, batch, n] back to the caller's [batch, steps, n].</summary>
    public string BatchMajor(string timeMajor) => Graph.Op("Transpose", [timeMajor], OnnxExport.Perm(1, 0, 2));

    /// <summary>1 at each row's real steps and 0 past them, [steps, batch, 1] as bool (null when every row is full).</summary>
    public string? RealSteps()
    {
        if (Lengths is null) return null;
        var g = Graph;
        string steps = g.Op("Gather", [g.Op("Shape", [Input]), g.Int64Scalar(1)], new OnnxAttribute("axis", 0L));
        string positions = g.Op("Range", [g.Int64Scalar(0), steps, g.Int64Scalar(1)]);        // [steps]
        string real = g.Op("Less", [g.Op("Unsqueeze", [positions, g.Int64s(1)]), Lengths]); // [steps, batch]
        return g.Op("Unsqueeze", [real, g.Int64s(2)]);
    }
}
