using System.Numerics;
using RnnGen.Kernels;

namespace RnnGen.Models;

/// <summary>One learned tensor of a <see cref="Seq2SeqNetwork{T}"/>: its name, shape and place in the flat buffers.</summary>
public sealed record TensorSlot(string Name, int[] Shape, int Offset, int Length);

/// <summary>
/// The forward and backward passes of an attention encoder-decoder (Luong et al. 2015) in one element
/// type: float to train, double to check gradients against finite differences.
/// </summary>
/// <remarks>
/// <para>Architecture, shapes time-major ([steps, batch, width]):</para>
/// <list type="number">
/// <item>Source embedding x[s, b]; encoder layers, each a forward cell and, when bidirectional, a backward
/// cell that reads each row's real tokens reversed through a per-row index map (padding stays at the end),
/// its outputs put back in source order and concatenated: memory e[s, b] of width M (H or 2H).</item>
/// <item>Bridge: a summary of each row, the top layer's forward output at the row's last real position
/// (and, bidirectional, the backward output at position 0, which has read the whole row), gives every
/// decoder layer k its initial first state tanh(W_k summary + b_k); further states (an LSTM's c) start at zero.</item>
/// <item>Decoder layers over &lt;bos&gt; + target (teacher forcing), top output h[t, b] of width D. No input
/// feeding: attention does not feed back into the decoder, so it runs for all target steps at once.</item>
/// <item>Scores (dot h·e, general h·W e, additive vᵀ tanh(W1 e + W2 h)), a softmax over the row's real
/// source positions (padding gets weight exactly zero), context c = Σ α e, attentional vector
/// a = tanh(W_c [c; h]), logits W_o a + b_o, cross-entropy averaged over the real target tokens.</item>
/// </list>
/// <para>Per batch row, scores and contexts for all target steps are one GEMM each, addressing the
/// time-major buffers with a stride of B rows. Padding never changes a result: padded source positions are
/// after every real one in both directions and get zero attention, padded targets are masked from the loss.</para>
/// <para>Parameter names follow PyTorch: source_embedding.weight, target_embedding.weight,
/// encoder.{cell tensor}_l{k} (and _l{k}_reverse), decoder.{cell tensor}_l{k}, bridge.weight_l{k},
/// bridge.bias_l{k}, attention.weight (general) or attention.key.weight, attention.query.weight,
/// attention.v (additive), combine.weight [D, M + D], output.weight, output.bias. Not thread-safe.</para>
/// </remarks>
public sealed class Seq2SeqNetwork<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly IRecurrentCell[] _forward, _decoder;
    private readonly IRecurrentCell?[] _backward;
    private readonly int[] _forwardAt, _backwardAt, _decoderAt, _bridgeWeightAt, _bridgeBiasAt;
    private readonly int _sourceEmbeddingAt, _targetEmbeddingAt, _attentionAt, _keyAt, _queryAt, _vAt, _combineAt, _outputWeightAt, _outputBiasAt;
    private readonly CellTape<T>[] _forwardTapes, _backwardTapes, _decoderTapes;
    private readonly List<TensorSlot> _tensors = [];
    private readonly Work _w = new();

    public Seq2SeqNetwork(int sourceVocabSize, int targetVocabSize, Seq2SeqDefinition definition)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sourceVocabSize);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetVocabSize);
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(definition.SourceEmbedding);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(definition.TargetEmbedding);
        if (definition.Encoder.Count == 0) throw new ArgumentException("A sequence-to-sequence model needs at least one encoder layer.", nameof(definition));
        if (definition.Decoder.Count == 0) throw new ArgumentException("A sequence-to-sequence model needs at least one decoder layer.", nameof(definition));
        SourceVocabSize = sourceVocabSize;
        TargetVocabSize = targetVocabSize;
        Definition = definition;
        Attention = definition.Attention;
        Bidirectional = definition.Bidirectional;
        int L = definition.Encoder.Count, K = definition.Decoder.Count;
        _forward = new IRecurrentCell[L];
        _backward = new IRecurrentCell?[L];
        int below = definition.SourceEmbedding;
        for (int k = 0; k < L; k++)
        {
            _forward[k] = definition.Encoder[k].Forward();
            _backward[k] = definition.Encoder[k].Backward?.Invoke();
            if ((_backward[k] is null) == Bidirectional)
                throw new ArgumentException("Either every encoder layer has a backward cell or none does.", nameof(definition));
            if (_forward[k].InputSize != below || (_backward[k] is { } r && (r.InputSize != below || r.HiddenSize != _forward[k].HiddenSize)))
                throw new ArgumentException($"Encoder layer {k} takes inputs of size {_forward[k].InputSize} but the layer below gives {below}.", nameof(definition));
            below = _forward[k].HiddenSize * (Bidirectional ? 2 : 1);
        }
        MemorySize = below;
        _decoder = new IRecurrentCell[K];
        below = definition.TargetEmbedding;
        for (int k = 0; k < K; k++)
        {
            _decoder[k] = definition.Decoder[k]();
            if (_decoder[k].InputSize != below)
                throw new ArgumentException($"Decoder layer {k} takes inputs of size {_decoder[k].InputSize} but the layer below gives {below}.", nameof(definition));
            below = _decoder[k].HiddenSize;
        }
        DecoderSize = below;
        if (Attention == AttentionKind.Dot && MemorySize != DecoderSize)
            throw new ArgumentException($"Dot attention needs the encoder output size ({MemorySize}) to equal the decoder hidden size ({DecoderSize}).", nameof(definition));

        int M = MemorySize, D = DecoderSize, offset = 0;
        int Add(string name, params int[] shape)
        {
            int length = 1;
            foreach (int d in shape) length *= d;
            _tensors.Add(new TensorSlot(name, shape, offset, length));
            offset += length;
            return offset - length;
        }
        int AddCell(string prefix, string suffix, IRecurrentCell cell)
        {
            int at = offset;
            foreach (var p in cell.Parameters) _tensors.Add(new TensorSlot($"{prefix}.{p.Name}{suffix}", p.Shape, at + p.Offset, p.Length));
            offset += cell.ParameterCount;
            return at;
        }
        _sourceEmbeddingAt = Add("source_embedding.weight", sourceVocabSize, definition.SourceEmbedding);
        _targetEmbeddingAt = Add("target_embedding.weight", targetVocabSize, definition.TargetEmbedding);
        _forwardAt = new int[L];
        _backwardAt = new int[L];
        for (int k = 0; k < L; k++)
        {
            _forwardAt[k] = AddCell("encoder", $"_l{k}", _forward[k]);
            if (_backward[k] is { } r) _backwardAt[k] = AddCell("encoder", $"_l{k}_reverse", r);
        }
        _decoderAt = new int[K];
        for (int k = 0; k < K; k++) _decoderAt[k] = AddCell("decoder", $"_l{k}", _decoder[k]);
        _bridgeWeightAt = new int[K];
        _bridgeBiasAt = new int[K];
        for (int k = 0; k < K; k++)
        {
            _bridgeWeightAt[k] = Add($"bridge.weight_l{k}", _decoder[k].HiddenSize, M);
            _bridgeBiasAt[k] = Add($"bridge.bias_l{k}", _decoder[k].HiddenSize);
        }
        if (Attention == AttentionKind.General) _attentionAt = Add("attention.weight", D, M);
        if (Attention == AttentionKind.Additive)
        {
            _keyAt = Add("attention.key.weight", D, M);
            _queryAt = Add("attention.query.weight", D, D);
            _vAt = Add("attention.v", D);
        }
        _combineAt = Add("combine.weight", D, M + D);
        _outputWeightAt = Add("output.weight", targetVocabSize, D);
        _outputBiasAt = Add("output.bias", targetVocabSize);
        Values = new T[offset];
        Gradients = new T[offset];
        _forwardTapes = _forward.Select(_ => new CellTape<T>()).ToArray();
        _backwardTapes = _forward.Select(_ => new CellTape<T>()).ToArray();
        _decoderTapes = _decoder.Select(_ => new CellTape<T>()).ToArray();
    }

    public Seq2SeqDefinition Definition { get; }
    public int SourceVocabSize { get; }
    public int TargetVocabSize { get; }
    public AttentionKind Attention { get; }
    public bool Bidirectional { get; }
    /// <summary>M: the width of the encoder's outputs (the attention memory).</summary>
    public int MemorySize { get; }
    /// <summary>D: the top decoder layer's hidden size.</summary>
    public int DecoderSize { get; }
    /// <summary>The flat parameter buffer, laid out as <see cref="Tensors"/> says.</summary>
    public T[] Values { get; }
    /// <summary>The gradients of the last <see cref="ForwardBackward"/>, laid out as <see cref="Values"/>.</summary>
    public T[] Gradients { get; }
    public IReadOnlyList<TensorSlot> Tensors => _tensors;

    /// <summary>Draws fresh parameters: embeddings N(0, 1); cells their own way; linear maps uniform(±1/sqrt(fan in)).</summary>
    public void Initialize(Random random)
    {
        foreach (var slot in _tensors)
        {
            var span = Values.AsSpan(slot.Offset, slot.Length);
            if (slot.Name.EndsWith("embedding.weight", StringComparison.Ordinal))
                for (int i = 0; i < span.Length; i++)
                {
                    double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
                    span[i] = T.CreateTruncating(Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
                }
        }
        for (int k = 0; k < _forward.Length; k++)
        {
            _forward[k].Initialize<T>(Values.AsSpan(_forwardAt[k], _forward[k].ParameterCount), random);
            if (_backward[k] is { } r) r.Initialize<T>(Values.AsSpan(_backwardAt[k], r.ParameterCount), random);
        }
        for (int k = 0; k < _decoder.Length; k++) _decoder[k].Initialize<T>(Values.AsSpan(_decoderAt[k], _decoder[k].ParameterCount), random);
        foreach (var slot in _tensors)
        {
            if (slot.Name.StartsWith("encoder.", StringComparison.Ordinal) || slot.Name.StartsWith("decoder.", StringComparison.Ordinal)
                || slot.Name.EndsWith("embedding.weight", StringComparison.Ordinal)) continue;
            int fanIn = slot.Name.StartsWith("bridge.bias", StringComparison.Ordinal) ? MemorySize
                : slot.Name == "output.bias" || slot.Name == "attention.v" ? DecoderSize
                : slot.Shape[^1];
            CellSupport.Uniform(Values.AsSpan(slot.Offset, slot.Length), random, 1 / Math.Sqrt(fanIn));
        }
    }

    // ---- Training: forward and backward --------------------------------------------------------------

    /// <summary>The mean cross-entropy over the batch's real target tokens, forward only.</summary>
    public T Loss(Seq2SeqBatch batch) => Run(batch, backward: false);

    /// <summary>The mean cross-entropy and, in <see cref="Gradients"/>, its gradients (overwritten, not accumulated).</summary>
    public T ForwardBackward(Seq2SeqBatch batch) => Run(batch, backward: true);

    private T Run(Seq2SeqBatch batch, bool backward)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.TargetTokenCount == 0) throw new ArgumentException("The batch has no targets.", nameof(batch));
        int B = batch.BatchSize, S = batch.SourceSteps, Tn = batch.TargetSteps;
        int M = MemorySize, D = DecoderSize, V = TargetVocabSize;
        var w = _w;
        Encode(batch.SourceIds, batch.SourceLengths, B, S);
        var mem = w.Memory.AsSpan(0, S * B * M);

        // Decoder over <bos> + target from the bridged states.
        int Et = Definition.TargetEmbedding;
        var y0 = Work.Get(ref w.DecoderInput, Tn * B * Et);
        Gather(_targetEmbeddingAt, TargetVocabSize, Et, batch.DecoderInputs, y0);
        Work.Grow(ref w.DecoderOutputs, _decoder.Length);
        for (int k = 0; k < _decoder.Length; k++)
        {
            var cell = _decoder[k];
            var input = k == 0 ? y0 : w.DecoderOutputs[k - 1].AsSpan(0, Tn * B * cell.InputSize);
            var output = Work.Get(ref w.DecoderOutputs[k], Tn * B * cell.HiddenSize);
            cell.Forward<T>(Values.AsSpan(_decoderAt[k], cell.ParameterCount), input, w.InitialStates[k].AsSpan(0, cell.StateCount * B * cell.HiddenSize),
                output, default, _decoderTapes[k], Tn, B);
        }
        var h = w.DecoderOutputs[^1].AsSpan(0, Tn * B * D);

        // Attention for all target steps, one batch row at a time.
        var alpha = Work.Get(ref w.Alpha, B * Tn * S);
        Scores(h, B, Tn, S, alpha);
        for (int b = 0; b < B; b++) MaskedSoftmax(alpha.Slice(b * Tn * S, Tn * S), Tn, S, batch.SourceLengths[b]);
        var context = Work.Get(ref w.Context, Tn * B * M);
        for (int b = 0; b < B; b++)
            Gemm.Multiply<T>(false, false, Tn, M, S, alpha.Slice(b * Tn * S, Tn * S), S, mem.Slice(b * M), B * M, context.Slice(b * M), B * M, accumulate: false);

        // a = tanh(W_c [c; h]); logits = W_o a + b_o.
        int rows = Tn * B;
        var z = Work.Get(ref w.Combined, rows * (M + D));
        for (int r = 0; r < rows; r++)
        {
            context.Slice(r * M, M).CopyTo(z.Slice(r * (M + D), M));
            h.Slice(r * D, D).CopyTo(z.Slice(r * (M + D) + M, D));
        }
        var a = Work.Get(ref w.Attentional, rows * D);
        var wc = Values.AsSpan(_combineAt, D * (M + D));
        Gemm.Multiply<T>(false, true, rows, D, M + D, z, M + D, wc, M + D, a, D, accumulate: false);
        Tanh(a);
        var logits = Work.Get(ref w.Logits, rows * V);
        var wo = Values.AsSpan(_outputWeightAt, V * D);
        var bo = Values.AsSpan(_outputBiasAt, V);
        for (int r = 0; r < rows; r++) bo.CopyTo(logits.Slice(r * V, V));
        Gemm.Multiply<T>(false, true, rows, V, D, a, D, wo, D, logits, V, accumulate: true);

        // Cross-entropy over the real targets; its gradient (softmax - onehot) / N written in place.
        T scale = T.One / T.CreateTruncating(batch.TargetTokenCount);
        T total = T.Zero;
        for (int r = 0; r < rows; r++)
        {
            var row = logits.Slice(r * V, V);
            int target = batch.DecoderTargets[r];
            if (target == Seq2SeqBatch.Ignore)
            {
                if (backward) row.Clear();
                continue;
            }
            if ((uint)target >= (uint)V) throw new ArgumentOutOfRangeException(nameof(batch), target, $"Target id {target} is outside the vocabulary of {V}.");
            T max = row[0];
            for (int i = 1; i < V; i++) if (row[i] > max) max = row[i];
            T sum = T.Zero;
            for (int i = 0; i < V; i++) sum += T.Exp(row[i] - max);
            total += T.Log(sum) + max - row[target];
            if (!backward) continue;
            T inv = scale / sum;
            for (int i = 0; i < V; i++) row[i] = T.Exp(row[i] - max) * inv;
            row[target] -= scale;
        }
        T loss = total * scale;
        if (!backward) return loss;

        // ---- Backward, in exact reverse order ----
        Array.Clear(Gradients);
        var dLogits = logits;
        var dBo = Gradients.AsSpan(_outputBiasAt, V);
        for (int r = 0; r < rows; r++) Add(dBo, dLogits.Slice(r * V, V));
        Gemm.Multiply<T>(true, false, V, D, rows, dLogits, V, a, D, Gradients.AsSpan(_outputWeightAt, V * D), D, accumulate: true);
        var dA = Work.Get(ref w.AttentionalGradient, rows * D);
        Gemm.Multiply<T>(false, false, rows, D, V, dLogits, V, wo, D, dA, D, accumulate: false);
        for (int i = 0; i < dA.Length; i++) dA[i] *= T.One - a[i] * a[i];
        Gemm.Multiply<T>(true, false, D, M + D, rows, dA, D, z, M + D, Gradients.AsSpan(_combineAt, D * (M + D)), M + D, accumulate: true);
        var dZ = Work.Get(ref w.CombinedGradient, rows * (M + D));
        Gemm.Multiply<T>(false, false, rows, M + D, D, dA, D, wc, M + D, dZ, M + D, accumulate: false);
        var dContext = Work.Get(ref w.ContextGradient, rows * M);
        var dH = Work.Get(ref w.DecoderGradient, rows * D);
        for (int r = 0; r < rows; r++)
        {
            dZ.Slice(r * (M + D), M).CopyTo(dContext.Slice(r * M, M));
            dZ.Slice(r * (M + D) + M, D).CopyTo(dH.Slice(r * D, D));
        }

        // Context and softmax: dα = dc eᵀ, de += αᵀ dc, dscore = α ⊙ (dα - Σ α dα).
        var dMem = Work.Get(ref w.MemoryGradient, S * B * M);
        dMem.Clear();
        var dScore = Work.Get(ref w.ScoreGradient, B * Tn * S);
        for (int b = 0; b < B; b++)
        {
            var ab = alpha.Slice(b * Tn * S, Tn * S);
            var db = dScore.Slice(b * Tn * S, Tn * S);
            Gemm.Multiply<T>(false, true, Tn, S, M, dContext.Slice(b * M), B * M, mem.Slice(b * M), B * M, db, S, accumulate: false);
            Gemm.Multiply<T>(true, false, S, M, Tn, ab, S, dContext.Slice(b * M), B * M, dMem.Slice(b * M), B * M, accumulate: true);
            for (int t = 0; t < Tn; t++)
            {
                var ar = ab.Slice(t * S, S);
                var dr = db.Slice(t * S, S);
                T dot = T.Zero;
                for (int s = 0; s < S; s++) dot += ar[s] * dr[s];
                for (int s = 0; s < S; s++) dr[s] = ar[s] * (dr[s] - dot);
            }
        }
        ScoresBackward(h, dScore, B, Tn, S, dH, dMem);

        // Decoder, top layer first; each layer's initial-state gradient goes to its bridge.
        var dSummary = Work.Get(ref w.SummaryGradient, B * M);
        dSummary.Clear();
        var summary = w.Summary.AsSpan(0, B * M);
        Work.Grow(ref w.DecoderInputGradients, _decoder.Length);
        var dOut = dH;
        for (int k = _decoder.Length - 1; k >= 0; k--)
        {
            var cell = _decoder[k];
            int Hk = cell.HiddenSize;
            var input = k == 0 ? y0 : w.DecoderOutputs[k - 1].AsSpan(0, Tn * B * cell.InputSize);
            var dInput = Work.Get(ref w.DecoderInputGradients[k], Tn * B * cell.InputSize);
            var dInit = Work.Get(ref w.InitialStateGradient, cell.StateCount * B * Hk);
            cell.Backward<T>(Values.AsSpan(_decoderAt[k], cell.ParameterCount), input, _decoderTapes[k], dOut, default,
                Gradients.AsSpan(_decoderAt[k], cell.ParameterCount), dInput, dInit);
            // h0 = tanh(W summary + b): dpre = dh0 ⊙ (1 - h0²).
            var h0 = w.InitialStates[k].AsSpan(0, B * Hk);
            var dPre = dInit.Slice(0, B * Hk);
            for (int i = 0; i < dPre.Length; i++) dPre[i] *= T.One - h0[i] * h0[i];
            var dBias = Gradients.AsSpan(_bridgeBiasAt[k], Hk);
            for (int b = 0; b < B; b++) Add(dBias, dPre.Slice(b * Hk, Hk));
            Gemm.Multiply<T>(true, false, Hk, M, B, dPre, Hk, summary, M, Gradients.AsSpan(_bridgeWeightAt[k], Hk * M), M, accumulate: true);
            Gemm.Multiply<T>(false, false, B, M, Hk, dPre, Hk, Values.AsSpan(_bridgeWeightAt[k], Hk * M), M, dSummary, M, accumulate: true);
            dOut = dInput;
        }
        Scatter(_targetEmbeddingAt, Et, batch.DecoderInputs, dOut);

        // The summary came from the memory at each row's ends.
        int top = _forward.Length - 1, Htop = _forward[top].HiddenSize;
        for (int b = 0; b < B; b++)
        {
            int last = batch.SourceLengths[b] - 1;
            Add(dMem.Slice((last * B + b) * M, Htop), dSummary.Slice(b * M, Htop));
            if (Bidirectional) Add(dMem.Slice(b * M + Htop, Htop), dSummary.Slice(b * M + Htop, Htop));
        }
        EncodeBackward(batch.SourceIds, batch.SourceLengths, B, S, dMem);
        return loss;
    }

    /// <summary>Runs the encoder over [S, B] source ids; leaves the memory, the summary and the decoder's initial states in the workspace.</summary>
    private void Encode(ReadOnlySpan<int> sourceIds, ReadOnlySpan<int> lengths, int B, int S)
    {
        var w = _w;
        foreach (int length in lengths)
            if (length < 1 || length > S) throw new ArgumentException($"A source length {length} is outside 1..{S}.", nameof(lengths));
        int Es = Definition.SourceEmbedding, L = _forward.Length, M = MemorySize;
        var x0 = Work.Get(ref w.SourceInput, S * B * Es);
        Gather(_sourceEmbeddingAt, SourceVocabSize, Es, sourceIds, x0);
        Work.Grow(ref w.EncoderOutputs, L);
        Work.Grow(ref w.ForwardOutputs, L);
        Work.Grow(ref w.ReversedInputs, L);
        Work.Grow(ref w.ReversedOutputs, L);
        for (int k = 0; k < L; k++)
        {
            var cell = _forward[k];
            int I = cell.InputSize, H = cell.HiddenSize;
            var input = k == 0 ? x0 : w.EncoderOutputs[k - 1].AsSpan(0, S * B * I);
            var fo = Work.Get(ref w.ForwardOutputs[k], S * B * H);
            cell.Forward<T>(Values.AsSpan(_forwardAt[k], cell.ParameterCount), input, default, fo, default, _forwardTapes[k], S, B);
            if (_backward[k] is not { } reverse)
            {
                fo.CopyTo(Work.Get(ref w.EncoderOutputs[k], S * B * H));
                continue;
            }
            var rin = Work.Get(ref w.ReversedInputs[k], S * B * I);
            Reverse(input, rin, lengths, B, S, I);
            var ro = Work.Get(ref w.ReversedOutputs[k], S * B * H);
            reverse.Forward<T>(Values.AsSpan(_backwardAt[k], reverse.ParameterCount), rin, default, ro, default, _backwardTapes[k], S, B);
            var output = Work.Get(ref w.EncoderOutputs[k], S * B * 2 * H);
            for (int s = 0; s < S; s++)
                for (int b = 0; b < B; b++)
                {
                    int r = Reversed(s, lengths[b]);
                    fo.Slice((s * B + b) * H, H).CopyTo(output.Slice((s * B + b) * 2 * H, H));
                    ro.Slice((r * B + b) * H, H).CopyTo(output.Slice((s * B + b) * 2 * H + H, H));
                }
        }
        w.Memory = w.EncoderOutputs[L - 1];
        var mem = w.Memory.AsSpan(0, S * B * M);

        // Summary: forward output at each row's last real position; backward output at position 0.
        int Htop = _forward[L - 1].HiddenSize;
        var summary = Work.Get(ref w.Summary, B * M);
        for (int b = 0; b < B; b++)
        {
            mem.Slice(((lengths[b] - 1) * B + b) * M, Htop).CopyTo(summary.Slice(b * M, Htop));
            if (Bidirectional) mem.Slice(b * M + Htop, Htop).CopyTo(summary.Slice(b * M + Htop, Htop));
        }
        Work.Grow(ref w.InitialStates, _decoder.Length);
        for (int k = 0; k < _decoder.Length; k++)
        {
            var cell = _decoder[k];
            int Hk = cell.HiddenSize;
            var init = Work.Get(ref w.InitialStates[k], cell.StateCount * B * Hk);
            init.Clear();
            var h0 = init.Slice(0, B * Hk);
            var bias = Values.AsSpan(_bridgeBiasAt[k], Hk);
            for (int b = 0; b < B; b++) bias.CopyTo(h0.Slice(b * Hk, Hk));
            Gemm.Multiply<T>(false, true, B, Hk, M, summary, M, Values.AsSpan(_bridgeWeightAt[k], Hk * M), M, h0, Hk, accumulate: true);
            Tanh(h0);
        }

        // Attention keys that do not depend on the query.
        int D = DecoderSize;
        if (Attention == AttentionKind.General)
            Gemm.Multiply<T>(false, true, S * B, D, M, mem, M, Values.AsSpan(_attentionAt, D * M), M, Work.Get(ref w.Keys, S * B * D), D, accumulate: false);
        else if (Attention == AttentionKind.Additive)
            Gemm.Multiply<T>(false, true, S * B, D, M, mem, M, Values.AsSpan(_keyAt, D * M), M, Work.Get(ref w.Keys, S * B * D), D, accumulate: false);
    }

    private void EncodeBackward(ReadOnlySpan<int> sourceIds, ReadOnlySpan<int> lengths, int B, int S, Span<T> dMem)
    {
        var w = _w;
        int Es = Definition.SourceEmbedding, L = _forward.Length;
        Span<T> dOut = dMem;
        Work.Grow(ref w.EncoderInputGradients, L);
        for (int k = L - 1; k >= 0; k--)
        {
            var cell = _forward[k];
            int I = cell.InputSize, H = cell.HiddenSize;
            var input = k == 0 ? w.SourceInput.AsSpan(0, S * B * Es) : w.EncoderOutputs[k - 1].AsSpan(0, S * B * I);
            var dInput = Work.Get(ref w.EncoderInputGradients[k], S * B * I);
            if (_backward[k] is not { } reverse)
            {
                cell.Backward<T>(Values.AsSpan(_forwardAt[k], cell.ParameterCount), input, _forwardTapes[k], dOut, default,
                    Gradients.AsSpan(_forwardAt[k], cell.ParameterCount), dInput, default);
                dOut = dInput;
                continue;
            }
            var dFo = Work.Get(ref w.ForwardGradient, S * B * H);
            var dRo = Work.Get(ref w.ReversedGradient, S * B * H);
            for (int s = 0; s < S; s++)
                for (int b = 0; b < B; b++)
                {
                    int r = Reversed(s, lengths[b]);
                    dOut.Slice((s * B + b) * 2 * H, H).CopyTo(dFo.Slice((s * B + b) * H, H));
                    dOut.Slice((s * B + b) * 2 * H + H, H).CopyTo(dRo.Slice((r * B + b) * H, H));
                }
            cell.Backward<T>(Values.AsSpan(_forwardAt[k], cell.ParameterCount), input, _forwardTapes[k], dFo, default,
                Gradients.AsSpan(_forwardAt[k], cell.ParameterCount), dInput, default);
            var dRin = Work.Get(ref w.ReversedInputGradient, S * B * I);
            reverse.Backward<T>(Values.AsSpan(_backwardAt[k], reverse.ParameterCount), w.ReversedInputs[k].AsSpan(0, S * B * I), _backwardTapes[k], dRo, default,
                Gradients.AsSpan(_backwardAt[k], reverse.ParameterCount), dRin, default);
            for (int s = 0; s < S; s++)
                for (int b = 0; b < B; b++)
                    Add(dInput.Slice((s * B + b) * I, I), dRin.Slice((Reversed(s, lengths[b]) * B + b) * I, I));
            dOut = dInput;
        }
        Scatter(_sourceEmbeddingAt, Es, sourceIds, dOut);
    }

    /// <summary>Scores [B, Tn, S] of the queries h [Tn, B, D] against the memory (additive: keeps tanh values for backward).</summary>
    private void Scores(ReadOnlySpan<T> h, int B, int Tn, int S, Span<T> scores)
    {
        var w = _w;
        int M = MemorySize, D = DecoderSize;
        if (Attention != AttentionKind.Additive)
        {
            ReadOnlySpan<T> keys = Attention == AttentionKind.Dot ? w.Memory.AsSpan(0, S * B * M) : w.Keys.AsSpan(0, S * B * D);
            for (int b = 0; b < B; b++)
                Gemm.Multiply<T>(false, true, Tn, S, D, h.Slice(b * D), B * D, keys.Slice(b * D), B * D, scores.Slice(b * Tn * S, Tn * S), S, accumulate: false);
            return;
        }
        var pq = Work.Get(ref w.Queries, Tn * B * D);
        Gemm.Multiply<T>(false, true, Tn * B, D, D, h, D, Values.AsSpan(_queryAt, D * D), D, pq, D, accumulate: false);
        var pk = w.Keys.AsSpan(0, S * B * D);
        var u = Work.Get(ref w.AdditiveTanh, B * Tn * S * D);
        var v = Values.AsSpan(_vAt, D);
        for (int b = 0; b < B; b++)
            for (int t = 0; t < Tn; t++)
            {
                var q = pq.Slice((t * B + b) * D, D);
                for (int s = 0; s < S; s++)
                {
                    var k = pk.Slice((s * B + b) * D, D);
                    var ur = u.Slice(((b * Tn + t) * S + s) * D, D);
                    T sum = T.Zero;
                    for (int i = 0; i < D; i++)
                    {
                        T x = T.Tanh(k[i] + q[i]);
                        ur[i] = x;
                        sum += v[i] * x;
                    }
                    scores[(b * Tn + t) * S + s] = sum;
                }
            }
    }

    /// <summary>Backward of <see cref="Scores"/>: adds to dH [Tn, B, D], dMem [S, B, M] and the attention parameters' gradients.</summary>
    private void ScoresBackward(ReadOnlySpan<T> h, ReadOnlySpan<T> dScore, int B, int Tn, int S, Span<T> dH, Span<T> dMem)
    {
        var w = _w;
        int M = MemorySize, D = DecoderSize;
        var mem = w.Memory.AsSpan(0, S * B * M);
        if (Attention == AttentionKind.Dot)
        {
            for (int b = 0; b < B; b++)
            {
                var ds = dScore.Slice(b * Tn * S, Tn * S);
                Gemm.Multiply<T>(false, false, Tn, D, S, ds, S, mem.Slice(b * M), B * M, dH.Slice(b * D), B * D, accumulate: true);
                Gemm.Multiply<T>(true, false, S, M, Tn, ds, S, h.Slice(b * D), B * D, dMem.Slice(b * M), B * M, accumulate: true);
            }
            return;
        }
        var dKeys = Work.Get(ref w.KeyGradient, S * B * D);
        var keys = w.Keys.AsSpan(0, S * B * D);
        if (Attention == AttentionKind.General)
        {
            for (int b = 0; b < B; b++)
            {
                var ds = dScore.Slice(b * Tn * S, Tn * S);
                Gemm.Multiply<T>(false, false, Tn, D, S, ds, S, keys.Slice(b * D), B * D, dH.Slice(b * D), B * D, accumulate: true);
                Gemm.Multiply<T>(true, false, S, D, Tn, ds, S, h.Slice(b * D), B * D, dKeys.Slice(b * D), B * D, accumulate: false);
            }
            // keys = mem Waᵀ: dWa = dKeysᵀ mem; dMem += dKeys Wa.
            Gemm.Multiply<T>(true, false, D, M, S * B, dKeys, D, mem, M, Gradients.AsSpan(_attentionAt, D * M), M, accumulate: true);
            Gemm.Multiply<T>(false, false, S * B, M, D, dKeys, D, Values.AsSpan(_attentionAt, D * M), M, dMem, M, accumulate: true);
            return;
        }
        // Additive: du = dscore v (1 - u²); dv += Σ dscore u; dkeys[s] += Σ_t du; dqueries[t] += Σ_s du.
        var dQueries = Work.Get(ref w.QueryGradient, Tn * B * D);
        dQueries.Clear();
        dKeys.Clear();
        var u = w.AdditiveTanh.AsSpan(0, B * Tn * S * D);
        var v = Values.AsSpan(_vAt, D);
        var dv = Gradients.AsSpan(_vAt, D);
        for (int b = 0; b < B; b++)
            for (int t = 0; t < Tn; t++)
            {
                var dq = dQueries.Slice((t * B + b) * D, D);
                for (int s = 0; s < S; s++)
                {
                    T g = dScore[(b * Tn + t) * S + s];
                    if (g == T.Zero) continue;
                    var ur = u.Slice(((b * Tn + t) * S + s) * D, D);
                    var dk = dKeys.Slice((s * B + b) * D, D);
                    for (int i = 0; i < D; i++)
                    {
                        dv[i] += g * ur[i];
                        T du = g * v[i] * (T.One - ur[i] * ur[i]);
                        dk[i] += du;
                        dq[i] += du;
                    }
                }
            }
        Gemm.Multiply<T>(true, false, D, M, S * B, dKeys, D, mem, M, Gradients.AsSpan(_keyAt, D * M), M, accumulate: true);
        Gemm.Multiply<T>(false, false, S * B, M, D, dKeys, D, Values.AsSpan(_keyAt, D * M), M, dMem, M, accumulate: true);
        Gemm.Multiply<T>(true, false, D, D, Tn * B, dQueries, D, h, D, Gradients.AsSpan(_queryAt, D * D), D, accumulate: true);
        Gemm.Multiply<T>(false, false, Tn * B, D, D, dQueries, D, Values.AsSpan(_queryAt, D * D), D, dH, D, accumulate: true);
    }

    // ---- Decoding ------------------------------------------------------------------------------------

    /// <summary>
    /// Greedy decoding of one source sentence: the most likely token at each step until &lt;eos&gt; or
    /// <paramref name="maxLength"/> tokens. With <paramref name="attention"/>, also returns the attention
    /// weights of each produced token over the source, [produced, source length].
    /// </summary>
    public int[] Greedy(int[] source, int beginId, int endId, int maxLength, List<T[]>? attention = null)
    {
        var decoder = new Decoder(this, source);
        var states = decoder.InitialStates(1);
        var tokens = new List<int>();
        int previous = beginId;
        var logProbs = new double[TargetVocabSize];
        for (int step = 0; step < maxLength; step++)
        {
            var alpha = decoder.Step([previous], ref states, logProbs);
            int best = 0;
            for (int i = 1; i < logProbs.Length; i++) if (logProbs[i] > logProbs[best]) best = i;
            attention?.Add(alpha.ToArray());
            if (best == endId) break;
            tokens.Add(best);
            previous = best;
        }
        return tokens.ToArray();
    }

    /// <summary>
    /// Beam search over one source sentence. Each step expands every live hypothesis and keeps the
    /// <paramref name="beamWidth"/> best by summed log-probability; a hypothesis ending in &lt;eos&gt; among
    /// those is finished. Stops when <paramref name="beamWidth"/> are finished and the best of them scores at
    /// least as well as any live hypothesis would if it ended now (or at <paramref name="maxLength"/>; stopping
    /// at the first <paramref name="beamWidth"/> finished ones would let short, unlikely hypotheses that end
    /// early crowd out the likely one), and returns the one with the best length-normalised score
    /// log P / length^<paramref name="lengthPenalty"/> (length counting &lt;eos&gt;). Beam 1 is greedy decoding.
    /// </summary>
    public int[] Beam(int[] source, int beginId, int endId, int maxLength, int beamWidth, double lengthPenalty = 0.7)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(beamWidth);
        var decoder = new Decoder(this, source);
        int V = TargetVocabSize;
        var live = new List<(int[] Tokens, double Score)> { ([], 0) };
        var states = decoder.InitialStates(1);
        var finished = new List<(int[] Tokens, double Normalised)>();
        var logProbs = new double[beamWidth * V];
        bool done = false;
        for (int step = 0; step < maxLength && live.Count > 0 && !done; step++)
        {
            int K = live.Count;
            var previous = live.Select(h => h.Tokens.Length == 0 ? beginId : h.Tokens[^1]).ToArray();
            decoder.Step(previous, ref states, logProbs.AsSpan(0, K * V));
            // The 2K best expansions: enough to refill the beam after K of them finish.
            var candidates = new List<(int From, int Token, double Score)>();
            for (int k = 0; k < K; k++)
                for (int i = 0; i < V; i++)
                {
                    double score = live[k].Score + logProbs[k * V + i];
                    if (candidates.Count < 2 * beamWidth || score > candidates[^1].Score)
                    {
                        int at = candidates.Count;
                        while (at > 0 && candidates[at - 1].Score < score) at--;
                        candidates.Insert(at, (k, i, score));
                        if (candidates.Count > 2 * beamWidth) candidates.RemoveAt(candidates.Count - 1);
                    }
                }
            var next = new List<(int[] Tokens, double Score)>();
            var from = new List<int>();
            for (int c = 0; c < candidates.Count && next.Count < beamWidth; c++)
            {
                var (k, token, score) = candidates[c];
                if (token == endId)
                {
                    if (c < beamWidth) finished.Add((live[k].Tokens, score / Math.Pow(live[k].Tokens.Length + 1, lengthPenalty)));
                    continue;
                }
                next.Add(([.. live[k].Tokens, token], score));
                from.Add(k);
            }
            states = decoder.Select(states, K, from);
            live = next;
            // Done once the beam holds enough finished hypotheses and none of the live ones, were it to end
            // now, would score better (the usual heuristic: a live score only falls as it grows, though its
            // normalised score may not, so this is not an exact bound).
            if (finished.Count >= beamWidth)
            {
                finished = finished.OrderByDescending(h => h.Normalised).Take(beamWidth).ToList();
                double bestLive = live.Count == 0 ? double.NegativeInfinity
                    : live.Max(h => h.Score / Math.Pow(h.Tokens.Length + 1, lengthPenalty));
                done = finished[0].Normalised >= bestLive;
            }
        }
        if (finished.Count == 0)
            return live.OrderByDescending(h => h.Score / Math.Pow(h.Tokens.Length, lengthPenalty)).First().Tokens;
        return finished.OrderByDescending(h => h.Normalised).First().Tokens;
    }

    /// <summary>Runs the decoder one step at a time for several hypotheses of one encoded source sentence.</summary>
    private sealed class Decoder
    {
        private readonly Seq2SeqNetwork<T> _n;
        private readonly T[] _memory, _keys;
        private readonly T[][] _initial;
        private readonly int _S;
        private readonly CellTape<T> _tape = new();

        public Decoder(Seq2SeqNetwork<T> network, int[] source)
        {
            ArgumentNullException.ThrowIfNull(source);
            if (source.Length == 0) throw new ArgumentException("The source is empty.", nameof(source));
            foreach (int id in source)
                if ((uint)id >= (uint)network.SourceVocabSize) throw new ArgumentOutOfRangeException(nameof(source), id, "Source id outside the vocabulary.");
            _n = network;
            _S = source.Length;
            network.Encode(source, [source.Length], 1, _S);
            var w = network._w;
            int M = network.MemorySize, D = network.DecoderSize;
            _memory = w.Memory.AsSpan(0, _S * M).ToArray();
            _keys = network.Attention == AttentionKind.Dot ? _memory : w.Keys.AsSpan(0, _S * D).ToArray();
            _initial = network._decoder.Select((c, k) => w.InitialStates[k].AsSpan(0, c.StateCount * c.HiddenSize).ToArray()).ToArray();
        }

        /// <summary>The bridged states, repeated for <paramref name="count"/> hypotheses: per layer [states, count, H].</summary>
        public T[][] InitialStates(int count)
        {
            var result = new T[_initial.Length][];
            for (int k = 0; k < _initial.Length; k++)
            {
                var cell = _n._decoder[k];
                int H = cell.HiddenSize;
                result[k] = new T[cell.StateCount * count * H];
                for (int st = 0; st < cell.StateCount; st++)
                    for (int c = 0; c < count; c++)
                        _initial[k].AsSpan(st * H, H).CopyTo(result[k].AsSpan((st * count + c) * H, H));
            }
            return result;
        }

        /// <summary>Keeps the states of the chosen hypotheses, in order.</summary>
        public T[][] Select(T[][] states, int count, List<int> from)
        {
            var result = new T[states.Length][];
            for (int k = 0; k < states.Length; k++)
            {
                var cell = _n._decoder[k];
                int H = cell.HiddenSize;
                result[k] = new T[cell.StateCount * from.Count * H];
                for (int st = 0; st < cell.StateCount; st++)
                    for (int c = 0; c < from.Count; c++)
                        states[k].AsSpan((st * count + from[c]) * H, H).CopyTo(result[k].AsSpan((st * from.Count + c) * H, H));
            }
            return result;
        }

        /// <summary>Feeds one token per hypothesis; writes log-probabilities [K, V]; returns the attention weights [K, S].</summary>
        public T[] Step(int[] tokens, ref T[][] states, Span<double> logProbs)
        {
            var n = _n;
            int K = tokens.Length, Et = n.Definition.TargetEmbedding, M = n.MemorySize, D = n.DecoderSize, S = _S, V = n.TargetVocabSize;
            var x = new T[K * Et];
            n.Gather(n._targetEmbeddingAt, V, Et, tokens, x);
            T[] input = x;
            for (int k = 0; k < n._decoder.Length; k++)
            {
                var cell = n._decoder[k];
                var output = new T[K * cell.HiddenSize];
                var final = new T[cell.StateCount * K * cell.HiddenSize];
                cell.Forward<T>(n.Values.AsSpan(n._decoderAt[k], cell.ParameterCount), input, states[k], output, final, _tape, 1, K);
                states[k] = final;
                input = output;
            }
            var h = input;
            var alpha = new T[K * S];
            if (n.Attention == AttentionKind.Additive)
            {
                var pq = new T[K * D];
                Gemm.Multiply<T>(false, true, K, D, D, h, D, n.Values.AsSpan(n._queryAt, D * D), D, pq, D, accumulate: false);
                var v = n.Values.AsSpan(n._vAt, D);
                for (int c = 0; c < K; c++)
                    for (int s = 0; s < S; s++)
                    {
                        T sum = T.Zero;
                        for (int i = 0; i < D; i++) sum += v[i] * T.Tanh(_keys[s * D + i] + pq[c * D + i]);
                        alpha[c * S + s] = sum;
                    }
            }
            else
                Gemm.Multiply<T>(false, true, K, S, D, h, D, _keys, D, alpha, S, accumulate: false);
            MaskedSoftmax(alpha, K, S, S);
            var z = new T[K * (M + D)];
            for (int c = 0; c < K; c++)
            {
                Gemm.Multiply<T>(false, false, 1, M, S, alpha.AsSpan(c * S, S), S, _memory, M, z.AsSpan(c * (M + D), M), M, accumulate: false);
                h.AsSpan(c * D, D).CopyTo(z.AsSpan(c * (M + D) + M, D));
            }
            var a = new T[K * D];
            Gemm.Multiply<T>(false, true, K, D, M + D, z, M + D, n.Values.AsSpan(n._combineAt, D * (M + D)), M + D, a, D, accumulate: false);
            Tanh(a);
            var logits = new T[K * V];
            for (int c = 0; c < K; c++) n.Values.AsSpan(n._outputBiasAt, V).CopyTo(logits.AsSpan(c * V, V));
            Gemm.Multiply<T>(false, true, K, V, D, a, D, n.Values.AsSpan(n._outputWeightAt, V * D), D, logits, V, accumulate: true);
            for (int c = 0; c < K; c++)
            {
                double max = double.NegativeInfinity;
                for (int i = 0; i < V; i++) max = Math.Max(max, double.CreateTruncating(logits[c * V + i]));
                double sum = 0;
                for (int i = 0; i < V; i++) sum += Math.Exp(double.CreateTruncating(logits[c * V + i]) - max);
                double log = Math.Log(sum) + max;
                for (int i = 0; i < V; i++) logProbs[c * V + i] = double.CreateTruncating(logits[c * V + i]) - log;
            }
            return alpha;
        }
    }

    // ---- Small kernels -------------------------------------------------------------------------------

    /// <summary>Position s of a row of real length <paramref name="length"/> read backwards: its real tokens reversed, padding kept in place.</summary>
    private static int Reversed(int s, int length) => s < length ? length - 1 - s : s;

    private static void Reverse(ReadOnlySpan<T> input, Span<T> output, ReadOnlySpan<int> lengths, int B, int S, int width)
    {
        for (int s = 0; s < S; s++)
            for (int b = 0; b < B; b++)
                input.Slice((Reversed(s, lengths[b]) * B + b) * width, width).CopyTo(output.Slice((s * B + b) * width, width));
    }

    /// <summary>Softmax over the first <paramref name="length"/> of each row of [rows, S]; the rest exactly zero.</summary>
    private static void MaskedSoftmax(Span<T> scores, int rows, int S, int length)
    {
        for (int t = 0; t < rows; t++)
        {
            var row = scores.Slice(t * S, S);
            T max = row[0];
            for (int s = 1; s < length; s++) if (row[s] > max) max = row[s];
            T sum = T.Zero;
            for (int s = 0; s < length; s++) sum += row[s] = T.Exp(row[s] - max);
            T inv = T.One / sum;
            for (int s = 0; s < length; s++) row[s] *= inv;
            row.Slice(length).Clear();
        }
    }

    private static void Tanh(Span<T> values)
    {
        for (int i = 0; i < values.Length; i++) values[i] = T.Tanh(values[i]);
    }

    private static void Add(Span<T> destination, ReadOnlySpan<T> source)
    {
        for (int i = 0; i < destination.Length; i++) destination[i] += source[i];
    }

    private void Gather(int tableAt, int vocab, int width, ReadOnlySpan<int> ids, Span<T> output)
    {
        for (int i = 0; i < ids.Length; i++)
        {
            if ((uint)ids[i] >= (uint)vocab) throw new ArgumentOutOfRangeException(nameof(ids), ids[i], $"Token id {ids[i]} is outside the vocabulary of {vocab}.");
            Values.AsSpan(tableAt + ids[i] * width, width).CopyTo(output.Slice(i * width, width));
        }
    }

    private void Scatter(int tableAt, int width, ReadOnlySpan<int> ids, ReadOnlySpan<T> gradient)
    {
        for (int i = 0; i < ids.Length; i++) Add(Gradients.AsSpan(tableAt + ids[i] * width, width), gradient.Slice(i * width, width));
    }

    /// <summary>Buffers reused from batch to batch; each grows to the largest shape seen.</summary>
    private sealed class Work
    {
        public T[] SourceInput = [], DecoderInput = [], Memory = [], Summary = [], Keys = [], Queries = [], AdditiveTanh = [];
        public T[] Alpha = [], Context = [], Combined = [], Attentional = [], Logits = [];
        public T[] AttentionalGradient = [], CombinedGradient = [], ContextGradient = [], DecoderGradient = [], MemoryGradient = [];
        public T[] ScoreGradient = [], KeyGradient = [], QueryGradient = [], SummaryGradient = [], InitialStateGradient = [];
        public T[] ForwardGradient = [], ReversedGradient = [], ReversedInputGradient = [];
        public T[][] EncoderOutputs = [], ForwardOutputs = [], ReversedInputs = [], ReversedOutputs = [], EncoderInputGradients = [];
        public T[][] DecoderOutputs = [], DecoderInputGradients = [], InitialStates = [];

        public static Span<T> Get(ref T[] buffer, int length)
        {
            if (buffer is null || buffer.Length < length) buffer = new T[length];
            return buffer.AsSpan(0, length);
        }

        public static void Grow(ref T[][] buffers, int count)
        {
            if (buffers.Length < count) Array.Resize(ref buffers, count);
            for (int i = 0; i < count; i++) buffers[i] ??= [];
        }
    }
}
