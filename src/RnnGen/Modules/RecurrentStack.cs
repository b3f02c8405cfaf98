using System.Numerics;

namespace RnnGen.Modules;

/// <summary>
/// Stacked generated cells over time-major sequence batches, one-way or bidirectional. Rows may be shorter
/// than the batch (padding at the end, no sorting): the forward cell runs over the padding too, but nothing
/// downstream reads those outputs, so their gradients are zero and nothing flows back into the real steps;
/// the backward cell reads each row's real steps in reverse through an index map, padding kept at the end.
/// Parameters: <c>{prefix}.{tensor}_l{k}</c>, and <c>_l{k}_reverse</c> for the backward cells (PyTorch's names).
/// </summary>
public sealed class RecurrentStack<T> where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly ParameterStore<T> _store;
    private readonly RecurrentLayer[] _layers;
    private readonly int[] _forwardAt, _backwardAt;
    private readonly CellTape<T>[] _forwardTapes, _backwardTapes;
    private readonly Dropout<T>?[] _dropout;
    private readonly T[][] _outputs, _gradients, _initialGradients;
    private T[] _inputGradient = [], _reversedInput = [], _reversedOutput = [], _half = [], _halfReversed = [], _reversedInputGradient = [];
    private readonly T[][] _reversedInputs;
    private int[] _lengths = [];
    private int _steps, _batch;
    private bool _dropoutOn;

    public RecurrentStack(ParameterStore<T> store, string prefix, int inputSize, IReadOnlyList<RecurrentLayer> layers, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (layers.Count == 0) throw new ArgumentException("A recurrent stack needs at least one layer.", nameof(layers));
        Bidirectional = layers[0].Backward is not null;
        int below = inputSize;
        for (int k = 0; k < layers.Count; k++)
        {
            var (f, b) = (layers[k].Forward, layers[k].Backward);
            if ((b is not null) != Bidirectional) throw new ArgumentException("Either every layer has a backward cell or none does.", nameof(layers));
            if (f.InputSize != below || (b is not null && (b.InputSize != below || b.HiddenSize != f.HiddenSize)))
                throw new ArgumentException($"Layer {k} ({layers[k].CellName}) takes inputs of size {f.InputSize} but the layer below gives {below}.", nameof(layers));
            if (!(layers[k].Dropout >= 0 && layers[k].Dropout < 1))
                throw new ArgumentOutOfRangeException(nameof(layers), layers[k].Dropout, $"Layer {k} ({layers[k].CellName}): dropout must be in [0, 1).");
            below = f.HiddenSize * Directions;
        }
        _store = store;
        _layers = layers.ToArray();
        InputSize = inputSize;
        OutputSize = below;
        int L = _layers.Length;
        _forwardAt = new int[L];
        _backwardAt = new int[L];
        for (int k = 0; k < L; k++)
        {
            _forwardAt[k] = store.AddCell(prefix, $"_l{k}", _layers[k].Forward);
            if (_layers[k].Backward is { } b) _backwardAt[k] = store.AddCell(prefix, $"_l{k}_reverse", b);
        }
        _forwardTapes = _layers.Select(_ => new CellTape<T>()).ToArray();
        _backwardTapes = _layers.Select(_ => new CellTape<T>()).ToArray();
        _dropout = _layers.Select((l, k) => l.Dropout > 0 ? new Dropout<T>(l.Dropout, seed, k) : null).ToArray();
        _outputs = new T[L][];
        _gradients = new T[L][];
        _initialGradients = new T[L][];
        _reversedInputs = new T[L][];
        for (int k = 0; k < L; k++) _outputs[k] = _gradients[k] = _initialGradients[k] = _reversedInputs[k] = [];
    }

    public IReadOnlyList<RecurrentLayer> Layers => _layers;
    public bool Bidirectional { get; }
    public int Directions => Bidirectional ? 2 : 1;
    public int InputSize { get; }
    /// <summary>The width of each output position: the top layer's hidden size, twice that when bidirectional.</summary>
    public int OutputSize { get; }
    public IEnumerable<Dropout<T>> DropoutModules => _dropout.OfType<Dropout<T>>();

    /// <summary>Where the forward cell of layer <paramref name="k"/> keeps its parameters in the store.</summary>
    public int ForwardOffset(int k) => _forwardAt[k];

    /// <summary>Where the backward cell of layer <paramref name="k"/> keeps its parameters (bidirectional stacks).</summary>
    public int BackwardOffset(int k) => Bidirectional ? _backwardAt[k] : throw new InvalidOperationException("A one-way stack has no backward cells.");

    /// <summary>A carried state for <paramref name="batchSize"/> rows (one-way stacks).</summary>
    public RecurrentState<T> CreateState(int batchSize) => new(batchSize, _layers.Select(l => l.Forward));

    // forward: y = layer_L(… layer_1(x)), each row read to its length        x [S, B, in] -> y [S, B, out]
    // initial: per layer [states, B, H] (null = zeros); state: carried in and advanced (one-way, full rows)
    public Span<T> Forward(ReadOnlySpan<T> x, int steps, int batch, ReadOnlySpan<int> lengths = default,
        RecurrentState<T>? state = null, T[][]? initial = null, bool training = false)
    {
        if (!lengths.IsEmpty) CheckLengths(lengths, steps, batch);
        if (state is not null && (Bidirectional || !lengths.IsEmpty || initial is not null))
            throw new ArgumentException("A carried state needs a one-way stack over full rows.", nameof(state));
        if (state is not null && state.BatchSize != batch)
            throw new ArgumentException($"The state has {state.BatchSize} rows but the batch has {batch}.", nameof(state));
        (_steps, _batch, _dropoutOn) = (steps, batch, training);
        var lengthsCopy = Buffer.Get(ref _lengths, batch);
        if (lengths.IsEmpty) lengthsCopy.Fill(steps); else lengths.CopyTo(lengthsCopy);

        ReadOnlySpan<T> input = x;
        for (int k = 0; k < _layers.Length; k++)
        {
            var (f, b) = (_layers[k].Forward, _layers[k].Backward);
            int I = f.InputSize, H = f.HiddenSize;
            var output = Buffer.Get(ref _outputs[k], steps * batch * H * Directions);
            ReadOnlySpan<T> init = state is { IsZero: false } ? state.Layers[k] : initial?[k] is { } given ? given : default;
            Span<T> final = state is not null ? state.Layers[k] : default;
            if (b is null)
            {
                f.Forward<T>(_store.Value(_forwardAt[k], f.ParameterCount), input, init, output, final, _forwardTapes[k], steps, batch);
            }
            else
            {
                // Forward half into scratch; the backward cell reads the row reversed; both interleaved as [fwd; bwd].
                var half = Buffer.Get(ref _half, steps * batch * H);
                f.Forward<T>(_store.Value(_forwardAt[k], f.ParameterCount), input, init, half, default, _forwardTapes[k], steps, batch);
                var reversedIn = Buffer.Get(ref _reversedInputs[k], steps * batch * I);
                Reverse(input, reversedIn, steps, batch, I);
                var reversedOut = Buffer.Get(ref _halfReversed, steps * batch * H);
                b.Forward<T>(_store.Value(_backwardAt[k], b.ParameterCount), reversedIn, default, reversedOut, default, _backwardTapes[k], steps, batch);
                for (int s = 0; s < steps; s++)
                    for (int r = 0; r < batch; r++)
                    {
                        int from = Reversed(s, _lengths[r]);
                        half.Slice((s * batch + r) * H, H).CopyTo(output.Slice((s * batch + r) * 2 * H, H));
                        reversedOut.Slice((from * batch + r) * H, H).CopyTo(output.Slice((s * batch + r) * 2 * H + H, H));
                    }
            }
            if (training && _dropout[k] is { } dropout) dropout.Forward(output);
            input = output;
        }
        if (state is not null) state.IsZero = false;
        return _outputs[^1].AsSpan(0, steps * batch * OutputSize);
    }

    // backward: dx from dy, parameter gradients added                          dy [S, B, out] -> dx [S, B, in]
    // x is the forward's input; with initialGradients, InitialGradient(k) holds d loss / d initial[k] (forward cells)
    public Span<T> Backward(ReadOnlySpan<T> x, ReadOnlySpan<T> dy, bool inputGradient = true, bool initialGradients = false)
    {
        int steps = _steps, batch = _batch;
        ReadOnlySpan<T> dOut = dy;
        Span<T> dInput = default;
        for (int k = _layers.Length - 1; k >= 0; k--)
        {
            var (f, b) = (_layers[k].Forward, _layers[k].Backward);
            int I = f.InputSize, H = f.HiddenSize;
            var input = k == 0 ? x : _outputs[k - 1].AsSpan(0, steps * batch * I);
            bool wantInput = k > 0 || inputGradient;
            dInput = !wantInput ? default : k == 0 ? Buffer.Get(ref _inputGradient, steps * batch * I) : Buffer.Get(ref _gradients[k - 1], steps * batch * I);
            var dInit = initialGradients ? Buffer.Get(ref _initialGradients[k], f.StateCount * batch * H) : default;
            // The layer's output gradient may be the caller's dy: dropout needs its own copy.
            if (_dropoutOn && _dropout[k] is { } dropout)
            {
                var copy = Buffer.Get(ref _gradients[k], dOut.Length);
                if (!copy.Overlaps(dOut)) dOut.CopyTo(copy);
                dropout.Backward(copy);
                dOut = copy;
            }
            if (b is null)
            {
                f.Backward<T>(_store.Value(_forwardAt[k], f.ParameterCount), input, _forwardTapes[k], dOut, default,
                    _store.Gradient(_forwardAt[k], f.ParameterCount), dInput, dInit);
            }
            else
            {
                var dHalf = Buffer.Get(ref _half, steps * batch * H);
                var dReversed = Buffer.Get(ref _halfReversed, steps * batch * H);
                for (int s = 0; s < steps; s++)
                    for (int r = 0; r < batch; r++)
                    {
                        int to = Reversed(s, _lengths[r]);
                        dOut.Slice((s * batch + r) * 2 * H, H).CopyTo(dHalf.Slice((s * batch + r) * H, H));
                        dOut.Slice((s * batch + r) * 2 * H + H, H).CopyTo(dReversed.Slice((to * batch + r) * H, H));
                    }
                f.Backward<T>(_store.Value(_forwardAt[k], f.ParameterCount), input, _forwardTapes[k], dHalf, default,
                    _store.Gradient(_forwardAt[k], f.ParameterCount), dInput, dInit);
                var dReversedIn = wantInput ? Buffer.Get(ref _reversedInputGradient, steps * batch * I) : default;
                b.Backward<T>(_store.Value(_backwardAt[k], b.ParameterCount), _reversedInputs[k].AsSpan(0, steps * batch * I), _backwardTapes[k], dReversed, default,
                    _store.Gradient(_backwardAt[k], b.ParameterCount), dReversedIn, default);
                if (wantInput)
                    for (int s = 0; s < steps; s++)
                        for (int r = 0; r < batch; r++)
                        {
                            var to = dInput.Slice((s * batch + r) * I, I);
                            var from = dReversedIn.Slice((Reversed(s, _lengths[r]) * batch + r) * I, I);
                            for (int i = 0; i < I; i++) to[i] += from[i];
                        }
            }
            dOut = dInput;
        }
        return inputGradient ? dInput : default;
    }

    /// <summary>d loss / d initial states of layer <paramref name="k"/> [states, B, H], after a Backward with initialGradients.</summary>
    public ReadOnlySpan<T> InitialGradient(int k) => _initialGradients[k].AsSpan(0, _layers[k].Forward.StateCount * _batch * _layers[k].Forward.HiddenSize);

    /// <summary>The output of layer <paramref name="k"/> of the last Forward, [S, B, H·directions].</summary>
    public ReadOnlySpan<T> LayerOutput(int k) => _outputs[k].AsSpan(0, _steps * _batch * _layers[k].Forward.HiddenSize * Directions);

    /// <summary>Position s of a row of real length <paramref name="length"/> read backwards: its real steps reversed, padding in place.</summary>
    private static int Reversed(int s, int length) => s < length ? length - 1 - s : s;

    private void Reverse(ReadOnlySpan<T> input, Span<T> output, int steps, int batch, int width)
    {
        for (int s = 0; s < steps; s++)
            for (int r = 0; r < batch; r++)
                input.Slice((Reversed(s, _lengths[r]) * batch + r) * width, width).CopyTo(output.Slice((s * batch + r) * width, width));
    }

    internal static void CheckLengths(ReadOnlySpan<int> lengths, int steps, int batch)
    {
        if (lengths.Length != batch) throw new ArgumentException($"{lengths.Length} lengths for a batch of {batch} rows.", nameof(lengths));
        for (int r = 0; r < batch; r++)
            if (lengths[r] < 1 || lengths[r] > steps)
                throw new ArgumentException($"Row {r} has length {lengths[r]}, outside 1..{steps}.", nameof(lengths));
    }
}
