namespace RnnGen.Onnx;

/// <summary>
/// One direction of a layer whose cell has no ONNX operator, as an ONNX <c>Scan</c> over time: the body is the cell's
/// step, built node by node from the <see cref="CellGraph"/> the generator wrote from the cell's IR (the same source
/// the fast passes come from). Weights stay in the outer graph, transposed for MatMul; the body reads them from there.
/// </summary>
internal static class CellScanExport
{
    /// <summary>
    /// The cell over <paramref name="x"/> [steps, batch, input] from <paramref name="initial"/> (each [batch, hidden];
    /// null for zeros): its outputs [steps, batch, hidden] and its final states, each [batch, hidden]. The cell's
    /// parameters start at <c>at</c> in <c>store</c>; <c>name</c> prefixes every value; <c>reverse</c> reads every row
    /// from its last step to its first (the rows must then be full).
    /// </summary>
    public static (string Output, string[] Finals) Write(OnnxGraph g, IRecurrentCell cell, CellGraph graph, ParameterStore<float> store, int at,
        string name, string x, string[]? initial, bool reverse = false)
    {
        int I = cell.InputSize, H = cell.HiddenSize, N = cell.StateCount;
        var offsets = graph.Offsets(I, H);
        CheckLayout(cell, graph, offsets);

        initial ??= Enumerable.Range(0, N).Select(_ => Zeros(g, x, H)).ToArray();
        var body = g.Subgraph();
        var states = Enumerable.Range(0, N).Select(s => body.Input($"{name}.h{s}", OnnxType.Float, OnnxExport.Batch, (long)H)).ToArray();
        string xt = body.Input($"{name}.x", OnnxType.Float, OnnxExport.Batch, (long)I);

        var values = new string[graph.Nodes.Count];
        var weights = new Dictionary<int, string>();
        string Field(int p) => weights.TryGetValue(p, out var w) ? w : weights[p] = FieldValue(g, store, graph, at + offsets[p], p, I, H, name);
        for (int i = 0; i < values.Length; i++)
        {
            var n = graph.Nodes[i];
            values[i] = n.Op switch
            {
                CellOp.Input => xt,
                CellOp.State => states[n.State],
                CellOp.Bias => Field(n.Parameter),
                CellOp.Constant => g.Scalar((float)n.Value),
                // Every other node is the ONNX form its operation has in the generator's table, over its operands then its fields.
                _ when n.Operator is { } form => Apply(body, form, Operands(n, values, Field)),
                _ => throw new NotSupportedException($"Cell {cell.GetType().Name}: operation {n.Op} has no ONNX form."),
            };
        }
        // Body outputs: the next states, then the scan output (the first state, as the cell's outputs are).
        for (int s = 0; s < N; s++) body.Output(values[graph.Outputs[s]], $"{name}.h{s}.next", OnnxType.Float, OnnxExport.Batch, (long)H);
        body.Output(values[graph.Outputs[0]], $"{name}.y", OnnxType.Float, OnnxExport.Batch, (long)H);

        var attributes = new List<OnnxAttribute> { new("body", body.ToGraph(name + ".step")), new("num_scan_inputs", 1L) };
        if (reverse)
        {
            attributes.Add(new("scan_input_directions", new long[] { 1 }));
            attributes.Add(new("scan_output_directions", new long[] { 1 }));
        }
        var outputs = g.Node("Scan", [.. initial, x], new string?[N + 1], attributes.ToArray());
        return (outputs[N], outputs[..N]);
    }

    private static string[] Operands(CellNode n, string[] values, Func<int, string> field)
    {
        var operands = new List<string>();
        if (n.A >= 0) operands.Add(values[n.A]);
        if (n.B >= 0) operands.Add(values[n.B]);
        if (n.Parameter >= 0) operands.Add(field(n.Parameter));
        if (n.Parameter2 >= 0) operands.Add(field(n.Parameter2));
        return operands.ToArray();
    }

    /// <summary>
    /// A form written "OpType name=value ...", or several joined by " | " (the first applied to the operands, each next one
    /// to the value before it: "Neg | Softplus | Neg" is -softplus(-a)).
    /// </summary>
    private static string Apply(OnnxGraph body, string form, string[] operands)
    {
        var chain = form.Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        string value = ApplyOne(body, chain[0], operands);
        for (int k = 1; k < chain.Length; k++) value = ApplyOne(body, chain[k], [value]);
        return value;
    }

    /// <summary>One operator written "OpType name=value ...": a value with a point or an exponent is a float attribute, else an int.</summary>
    private static string ApplyOne(OnnxGraph body, string form, string[] operands)
    {
        var parts = form.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var attributes = parts.Skip(1).Select(p =>
        {
            int eq = p.IndexOf('=');
            if (eq <= 0) throw new InvalidOperationException($"The ONNX form '{form}' has an attribute without a value: '{p}'.");
            string name = p[..eq], value = p[(eq + 1)..];
            return value.IndexOfAny(['.', 'e', 'E']) >= 0
                ? new OnnxAttribute(name, float.Parse(value, System.Globalization.CultureInfo.InvariantCulture))
                : new OnnxAttribute(name, long.Parse(value, System.Globalization.CultureInfo.InvariantCulture));
        }).ToArray();
        return body.Op(parts[0], operands, attributes);
    }

    // A bias or gain [H] as it is; a weight [H, columns] transposed to [columns, H], so that MatMul(v, Wᵀ) = W v for rows v.
    private static string FieldValue(OnnxGraph g, ParameterStore<float> store, CellGraph graph, int at, int p, int I, int H, string name)
    {
        int columns = graph.Columns(p, I, H);
        var values = store.Value(at, H * columns);
        string field = $"{name}.{graph.Fields[p].Name}";
        if (graph.Fields[p].Columns == CellColumns.One) return g.Weight(field, [H], values);
        var transposed = new float[values.Length];
        for (int r = 0; r < H; r++)
            for (int c = 0; c < columns; c++)
                transposed[c * H + r] = values[r * columns + c];
        return g.Weight(field, [columns, H], transposed);
    }

    /// <summary>Zeros [batch, hidden], the batch read from <paramref name="x"/> [steps, batch, input].</summary>
    private static string Zeros(OnnxGraph g, string x, int H)
    {
        string batch = g.Op("Slice", [g.Op("Shape", [x]), g.Int64s(1), g.Int64s(2)]);
        return g.Op("ConstantOfShape", [g.Op("Concat", [batch, g.Int64s(H)], new OnnxAttribute("axis", 0L))]);
    }

    /// <summary>The graph's field layout must be the cell's: every tensor starts where its first field does, and the sizes add up.</summary>
    private static void CheckLayout(IRecurrentCell cell, CellGraph graph, int[] offsets)
    {
        int total = Enumerable.Range(0, graph.Fields.Count).Sum(p => cell.HiddenSize * graph.Columns(p, cell.InputSize, cell.HiddenSize));
        if (total != cell.ParameterCount || cell.Parameters.Any(t => !offsets.Contains(t.Offset)))
            throw new InvalidOperationException($"Cell {cell.GetType().Name}: its step graph lays out its parameters differently from the cell itself; rebuild it with this RnnGen.");
    }
}
