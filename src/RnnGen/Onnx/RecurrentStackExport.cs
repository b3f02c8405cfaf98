namespace RnnGen.Onnx;

/// <summary>
/// Writes a <see cref="RecurrentStack{T}"/> of built-in cells as ONNX recurrent operators, one per layer: Gru as
/// <c>GRU</c> (with <c>linear_before_reset = 1</c>, PyTorch's and our b_hn inside r * (...)), Lstm as <c>LSTM</c>,
/// SimpleRnn as <c>RNN</c> (tanh). The operators use ONNX's default layout 0, time-major like the stack itself.
/// Any other cell that the generator wrote (<see cref="IExportableCell"/>) becomes a Scan (<see cref="CellScanExport"/>).
/// </summary>
internal static class RecurrentStackExport
{
    /// <summary>Where each of our gate blocks goes: ONNX stacks GRU as z, r, h (ours r, z, n) and LSTM as i, o, f, c (ours i, f, g, o).</summary>
    private static readonly int[] GruGates = [1, 0, 2], LstmGates = [0, 3, 1, 2], RnnGates = [0];

    /// <summary>The values a layer's operator reads and writes besides its input and output.</summary>
    /// <param name="Initial">Its initial states (h, and c for LSTM), each [directions, batch, hidden]; null for zeros.</param>
    /// <param name="Final">Names for its final states, as many as <paramref name="Initial"/> would hold; null when no one reads them.</param>
    public sealed record LayerStates(string[]? Initial, string[]? Final);

    /// <summary>
    /// The stack over <paramref name="x"/> [steps, batch, input]: returns its output [steps, batch, out] and the top
    /// layer's last hidden state [directions, batch, hidden] (at each row's last real step with <paramref name="lengths"/>).
    /// </summary>
    /// <param name="g">The graph to add to.</param>
    /// <param name="rnn">The stack, whose cells must all be built-in ones (see <see cref="Check"/>).</param>
    /// <param name="store">Where the stack's parameters live.</param>
    /// <param name="prefix">The stem of the weights' names in the graph.</param>
    /// <param name="x">The input, [steps, batch, input].</param>
    /// <param name="lengths">An int64 [batch] value of real lengths, or null when every row is full.</param>
    /// <param name="states">Per layer, its initial and final state values; null for zeros in and nothing out.</param>
    public static (string Output, string LastHidden) Write(OnnxGraph g, RecurrentStack<float> rnn, ParameterStore<float> store, string prefix,
        string x, string? lengths, IReadOnlyList<LayerStates>? states = null)
    {
        Check(rnn);
        if (lengths is not null && states?.Any(s => s.Final is not null) == true)
            throw new InvalidOperationException("Final states are exported for full rows only.");
        string? sequenceLens = null; // int32, as the recurrent operators take them; made once, when a layer needs it
        string input = x, lastHidden = "";
        for (int k = 0; k < rnn.Layers.Count; k++)
        {
            var layer = states is null ? null : states[k];
            if (rnn.Layers[k].Forward is not (Cells.Gru or Cells.Lstm or Cells.SimpleRnn))
            {
                (input, lastHidden) = ScanLayer(g, rnn, store, k, $"{prefix}.l{k}", input, lengths, layer);
                continue;
            }
            if (lengths is not null) sequenceLens ??= g.Op("Cast", [lengths], new OnnxAttribute("to", (long)OnnxType.Int32));
            var cell = rnn.Layers[k].Forward;
            int H = cell.HiddenSize;
            var (op, gates) = Operator(cell);
            int[] offsets = rnn.Bidirectional ? [rnn.ForwardOffset(k), rnn.BackwardOffset(k)] : [rnn.ForwardOffset(k)];
            string suffix = $"_l{k}";
            string w = g.Weight($"{prefix}.W{suffix}", [offsets.Length, gates.Length * H, cell.InputSize], Stack(store, cell, offsets, "weight_ih", gates, H));
            string r = g.Weight($"{prefix}.R{suffix}", [offsets.Length, gates.Length * H, H], Stack(store, cell, offsets, "weight_hh", gates, H));
            string b = g.Weight($"{prefix}.B{suffix}", [offsets.Length, 2 * gates.Length * H], Biases(store, cell, offsets, gates, H));

            var inputs = new List<string> { input, w, r, b, sequenceLens ?? "" };
            for (int s = 0; s < cell.StateCount; s++) inputs.Add(layer?.Initial?[s] ?? "");
            while (inputs.Count > 0 && inputs[^1] == "") inputs.RemoveAt(inputs.Count - 1); // trailing optional inputs left out

            var outputs = new string?[1 + cell.StateCount];
            for (int s = 0; s < cell.StateCount; s++) outputs[1 + s] = layer?.Final?[s];
            var attributes = new List<OnnxAttribute>
            {
                new("hidden_size", (long)H),
                new("direction", rnn.Bidirectional ? "bidirectional" : "forward"),
            };
            if (op == "GRU") attributes.Add(new("linear_before_reset", 1L));
            var named = g.Node(op, inputs.ToArray(), outputs, attributes.ToArray());

            // Y [steps, directions, batch, hidden] -> [steps, batch, directions * hidden]: forward half first, as the stack lays it out.
            input = rnn.Bidirectional
                ? g.Op("Reshape", [g.Op("Transpose", [named[0]], new OnnxAttribute("perm", new long[] { 0, 2, 1, 3 })), g.Int64s(0, 0, -1)])
                : g.Op("Squeeze", [named[0], g.Int64s(1)]);
            lastHidden = named[1];
        }
        return (input, lastHidden);
    }

    // A layer of a cell without an ONNX operator: a Scan per direction. The forward Scan runs over the padding too, as
    // the stack does (nothing reads those steps); the backward one reads each row's real steps reversed (ReverseSequence
    // with the lengths, padding left in place, as the stack's index map does). The last hidden state is the forward
    // output at each row's last real step and the backward one at step 0.
    private static (string Output, string LastHidden) ScanLayer(OnnxGraph g, RecurrentStack<float> rnn, ParameterStore<float> store, int k,
        string name, string x, string? lengths, LayerStates? states)
    {
        var cell = rnn.Layers[k].Forward;
        var graph = ((IExportableCell)cell).StepGraph;
        int H = cell.HiddenSize;
        string[]? initial = states?.Initial?.Select(s => g.Op("Squeeze", [s, g.Int64s(0)])).ToArray();
        var (y, finals) = CellScanExport.Write(g, cell, graph, store, rnn.ForwardOffset(k), name, x, initial);
        if (states?.Final is { } wanted)
            for (int s = 0; s < wanted.Length; s++) g.Node("Unsqueeze", [finals[s], g.Int64s(0)], [wanted[s]]);

        string last = lengths is null
            ? g.Op("Unsqueeze", [finals[0], g.Int64s(0)])
            : g.Op("GatherElements", [y, LastStepIndex(g, lengths, H)], new OnnxAttribute("axis", 0L)); // [1, batch, hidden]
        if (!rnn.Bidirectional) return (y, last);

        var backwardCell = rnn.Layers[k].Backward!;
        string reversed, backward;
        if (lengths is null)
        {
            (backward, _) = CellScanExport.Write(g, backwardCell, graph, store, rnn.BackwardOffset(k), name + "_reverse", x, null, reverse: true);
        }
        else
        {
            var reverse = new[] { new OnnxAttribute("batch_axis", 1L), new OnnxAttribute("time_axis", 0L) };
            reversed = g.Op("ReverseSequence", [x, lengths], reverse);
            (backward, _) = CellScanExport.Write(g, backwardCell, graph, store, rnn.BackwardOffset(k), name + "_reverse", reversed, null);
            backward = g.Op("ReverseSequence", [backward, lengths], reverse);
        }
        string first = g.Op("Slice", [backward, g.Int64s(0), g.Int64s(1), g.Int64s(0)]); // [1, batch, hidden]
        return (g.Op("Concat", [y, backward], new OnnxAttribute("axis", 2L)), g.Op("Concat", [last, first], new OnnxAttribute("axis", 0L)));
    }

    /// <summary>lengths − 1 as a GatherElements index [1, batch, hidden]: each row's last real step.</summary>
    private static string LastStepIndex(OnnxGraph g, string lengths, int H)
    {
        string last = g.Op("Sub", [lengths, g.Int64Scalar(1)]);
        string shaped = g.Op("Reshape", [last, g.Int64s(1, -1, 1)]);
        string shape = g.Op("Concat", [g.Int64s(1), g.Op("Shape", [lengths]), g.Int64s(H)], new OnnxAttribute("axis", 0L));
        return g.Op("Expand", [shaped, shape]);
    }

    /// <summary>Throws, naming the layer and its cell, when a layer cannot be exported yet.</summary>
    public static void Check(RecurrentStack<float> rnn)
    {
        for (int k = 0; k < rnn.Layers.Count; k++)
            if (rnn.Layers[k].Forward is not IExportableCell) Operator(rnn.Layers[k].Forward, k, rnn.Layers[k].CellName);
    }

    private static (string Op, int[] Gates) Operator(IRecurrentCell cell, int layer = -1, string? name = null) => cell switch
    {
        Cells.Gru => ("GRU", GruGates),
        Cells.Lstm => ("LSTM", LstmGates),
        Cells.SimpleRnn => ("RNN", RnnGates),
        _ => throw new NotSupportedException(
            $"Layer {layer} ({name ?? cell.GetType().Name}) cannot be exported to ONNX: only the built-in Gru, Lstm and SimpleRnn cells "
            + "map to ONNX operators, and other cells need the step graph (IExportableCell) that RnnGen's generator writes for a [RecurrentCell] class "
            + "whose operations all have an ONNX form; this one has none."),
    };

    // One direction after another, each tensor's gate blocks of H rows reordered to ONNX's order.
    private static float[] Stack(ParameterStore<float> store, IRecurrentCell cell, int[] offsets, string tensor, int[] gates, int H)
    {
        var p = Tensor(cell, tensor, gates.Length * H);
        int block = H * p.Columns;
        var result = new float[offsets.Length * p.Length];
        for (int d = 0; d < offsets.Length; d++)
        {
            var values = store.Value(offsets[d] + p.Offset, p.Length);
            for (int to = 0; to < gates.Length; to++)
                values.Slice(gates[to] * block, block).CopyTo(result.AsSpan(d * p.Length + to * block, block));
        }
        return result;
    }

    // ONNX's B is [Wb; Rb] per direction: the input biases, then the recurrent ones.
    private static float[] Biases(ParameterStore<float> store, IRecurrentCell cell, int[] offsets, int[] gates, int H)
    {
        var input = Stack(store, cell, offsets, "bias_ih", gates, H);
        var hidden = Stack(store, cell, offsets, "bias_hh", gates, H);
        int n = gates.Length * H;
        var result = new float[offsets.Length * 2 * n];
        for (int d = 0; d < offsets.Length; d++)
        {
            input.AsSpan(d * n, n).CopyTo(result.AsSpan(d * 2 * n, n));
            hidden.AsSpan(d * n, n).CopyTo(result.AsSpan(d * 2 * n + n, n));
        }
        return result;
    }

    private static CellParameter Tensor(IRecurrentCell cell, string name, int rows)
    {
        var p = cell.Parameters.FirstOrDefault(p => p.Name == name)
                ?? throw new InvalidOperationException($"Cell {cell.GetType().Name} has no tensor '{name}'.");
        if (p.Rows != rows) throw new InvalidOperationException($"Cell {cell.GetType().Name}: '{name}' has {p.Rows} rows, expected {rows}.");
        return p;
    }
}
