namespace RnnGen.Onnx;

/// <summary>
/// A <see cref="Seq2SeqNetwork{T}"/> as two graphs: the encoder with the bridge (source to memory and the decoder's
/// initial states), and one decoder step with attention (a token and states to logits and the next states).
/// </summary>
internal static class Seq2SeqExport
{
    private const string SourceSteps = "source_steps";

    // encoder: e = encoder(embed(tokens)) [S, B, M]; summary = the top layer's last real step forwards, step 0 backwards;
    //          h0_k = tanh(bridge_k summary), other states 0
    public static OnnxGraph Encoder(Seq2SeqNetwork<float> net)
    {
        var g = new OnnxGraph();
        var store = net.Parameters;
        string tokens = g.Input("tokens", OnnxType.Int64, OnnxExport.Batch, SourceSteps);
        string lengths = g.Input("lengths", OnnxType.Int64, OnnxExport.Batch);
        string x = OnnxExport.Embed(g, net.SourceEmbedding, store, "source_embedding.weight", tokens);
        var (memory, last) = RecurrentStackExport.Write(g, net.Encoder, store, "encoder", x, lengths);
        int M = net.Encoder.OutputSize;
        g.Output(g.Op("Transpose", [memory], OnnxExport.Perm(1, 0, 2)), "memory", OnnxType.Float, OnnxExport.Batch, SourceSteps, (long)M);

        // [directions, batch, hidden] -> [batch, directions * hidden], as SequencePooling's Last.
        string summary = g.Op("Reshape", [g.Op("Transpose", [last], OnnxExport.Perm(1, 0, 2)), g.Int64s(0, -1)]);
        int k = 0;
        for (int layer = 0; layer < net.Decoder.Layers.Count; layer++)
        {
            var cell = net.Decoder.Layers[layer].Forward;
            var bridge = net.Bridge.Map(layer);
            string h0 = g.Op("Unsqueeze", [g.Op("Tanh", [OnnxExport.Linear(g, bridge, store, $"bridge.l{layer}", summary)]), g.Int64s(0)]);
            g.Output(h0, $"state_out_{k}", OnnxType.Float, 1L, OnnxExport.Batch, (long)cell.HiddenSize);
            k++;
            for (int s = 1; s < cell.StateCount; s++, k++)
                g.Output(g.Op("ConstantOfShape", [g.Op("Shape", [h0])]), $"state_out_{k}", OnnxType.Float, 1L, OnnxExport.Batch, (long)cell.HiddenSize);
        }
        return g;
    }

    // step: h = decoder(embed(token), states) [B, D]; scores [B, S] by the attention, masked past each row's length;
    //       α = softmax(scores); c = α e; a = tanh(combine [c; h]); logits = output a
    public static OnnxGraph DecoderStep(Seq2SeqNetwork<float> net)
    {
        var g = new OnnxGraph();
        var store = net.Parameters;
        int M = net.Encoder.OutputSize, V = net.TargetVocabSize;
        string token = g.Input("token", OnnxType.Int64, OnnxExport.Batch);
        var states = new List<RecurrentStackExport.LayerStates>();
        var finals = new List<(string Name, int Hidden)>();
        int k = 0;
        foreach (var layer in net.Decoder.Layers)
        {
            var initial = new string[layer.Forward.StateCount];
            var final = new string[initial.Length];
            for (int s = 0; s < initial.Length; s++, k++)
            {
                initial[s] = g.Input($"state_in_{k}", OnnxType.Float, 1L, OnnxExport.Batch, (long)layer.Forward.HiddenSize);
                final[s] = $"state_out_{k}";
                finals.Add((final[s], layer.Forward.HiddenSize));
            }
            states.Add(new(initial, final));
        }
        string memory = g.Input("memory", OnnxType.Float, OnnxExport.Batch, SourceSteps, (long)M);
        string lengths = g.Input("lengths", OnnxType.Int64, OnnxExport.Batch);

        var table = g.Weight("target_embedding.weight", [net.TargetEmbedding.Vocab, net.TargetEmbedding.Width], store.Value(net.TargetEmbedding.Weight));
        string x = g.Op("Unsqueeze", [g.Op("Gather", [table, token], new OnnxAttribute("axis", 0L)), g.Int64s(0)]); // [1, B, E]
        var (y, _) = RecurrentStackExport.Write(g, net.Decoder, store, "decoder", x, null, states);
        string h = g.Op("Squeeze", [y, g.Int64s(0)]); // [B, D]

        string scores = Scores(g, net.Attention, store, h, memory); // [B, S]
        string positions = g.Op("Range", [g.Int64Scalar(0), g.Op("Gather", [g.Op("Shape", [memory]), g.Int64Scalar(1)], new OnnxAttribute("axis", 0L)), g.Int64Scalar(1)]);
        string real = g.Op("Less", [positions, g.Op("Unsqueeze", [lengths, g.Int64s(1)])]); // [B, S]
        string alpha = g.Op("Softmax", [g.Op("Where", [real, scores, g.Scalar(float.NegativeInfinity)])], new OnnxAttribute("axis", -1L));
        string context = g.Op("Squeeze", [g.Op("MatMul", [g.Op("Unsqueeze", [alpha, g.Int64s(1)]), memory]), g.Int64s(1)]); // [B, M]
        string joined = g.Op("Concat", [context, h], new OnnxAttribute("axis", -1L));
        string a = g.Op("Tanh", [OnnxExport.Linear(g, net.Combine, store, "combine", joined)]);
        g.Output(OnnxExport.Linear(g, net.Output, store, "output", a), "logits", OnnxType.Float, OnnxExport.Batch, (long)V);
        foreach (var (name, hidden) in finals) g.Output(name, name, OnnxType.Float, 1L, OnnxExport.Batch, (long)hidden);
        g.Output(alpha, "attention", OnnxType.Float, OnnxExport.Batch, SourceSteps);
        return g;
    }

    // scores[b, s] = score(h[b], e[b, s]): dot h·e; general h·(W e); additive v·tanh(W1 e + W2 h)
    private static string Scores(OnnxGraph g, IAttention<float> attention, ParameterStore<float> store, string h, string memory)
    {
        string column = g.Op("Unsqueeze", [h, g.Int64s(2)]); // [B, D, 1]
        switch (attention)
        {
            case DotAttention<float>:
                return g.Op("Squeeze", [g.Op("MatMul", [memory, column]), g.Int64s(2)]);
            case GeneralAttention<float> general:
                string keys = g.Op("MatMul", [memory, g.Weight("attention.weight", [general.Memory, general.Decoder], Transposed(store.Value(general.Weight), general.Decoder, general.Memory))]);
                return g.Op("Squeeze", [g.Op("MatMul", [keys, column]), g.Int64s(2)]);
            case AdditiveAttention<float> additive:
                int D = additive.Decoder, M = additive.Memory;
                string k = g.Op("MatMul", [memory, g.Weight("attention.key.weight", [M, D], Transposed(store.Value(additive.Key), D, M))]);   // [B, S, D]
                string q = g.Op("MatMul", [h, g.Weight("attention.query.weight", [D, D], Transposed(store.Value(additive.Query), D, D))]);    // [B, D]
                string u = g.Op("Tanh", [g.Op("Add", [k, g.Op("Unsqueeze", [q, g.Int64s(1)])])]);
                return g.Op("MatMul", [u, g.Weight("attention.v", [D], store.Value(additive.V))]);                                            // [B, S]
            default:
                throw new NotSupportedException($"Attention {attention.Kind} has no ONNX form.");
        }
    }

    /// <summary>A row-major [rows, columns] matrix as [columns, rows].</summary>
    private static float[] Transposed(ReadOnlySpan<float> matrix, int rows, int columns)
    {
        var result = new float[matrix.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++)
                result[c * rows + r] = matrix[r * columns + c];
        return result;
    }
}
