namespace RnnGen.Training;

/// <summary>
/// The common shape of the optimisers: a learning rate a schedule may change between steps, a step
/// counter, and per-parameter state (moment estimates, momentum buffers) kept by parameter name so it
/// can be exported into a checkpoint and imported into a fresh optimiser to resume training exactly.
/// </summary>
public abstract class Optimizer
{
    /// <summary>The key under which <see cref="ExportState"/> stores <see cref="StepCount"/>.</summary>
    public const string StepKey = "step";

    private readonly Dictionary<string, ParameterState> _states = new(StringComparer.Ordinal);
    private float _learningRate;
    /// <summary>Counts calls to <see cref="Step"/>, including failed ones, to stamp the states each call touches.</summary>
    private long _stepCalls;

    protected Optimizer(float learningRate) => LearningRate = learningRate;

    /// <summary>The step size of the next <see cref="Step"/>; schedules set it between steps.</summary>
    public float LearningRate
    {
        get => _learningRate;
        set
        {
            if (!float.IsFinite(value) || value < 0)
                throw new ArgumentOutOfRangeException(nameof(value), value, "The learning rate must be finite and not negative.");
            _learningRate = value;
        }
    }

    /// <summary>How many times <see cref="Step"/> has run (including steps before an imported state was exported).</summary>
    public long StepCount { get; private set; }

    /// <summary>
    /// The names of the per-parameter state buffers this optimiser keeps, in the order
    /// <see cref="Update"/> receives them (PyTorch's names: <c>exp_avg</c>, <c>momentum_buffer</c>...).
    /// </summary>
    protected abstract IReadOnlyList<string> SlotNames { get; }

    /// <summary>
    /// Applies one update to <paramref name="parameter"/> from its gradient. <paramref name="slots"/> are
    /// this parameter's state buffers, zeroed when <paramref name="firstStep"/> is true (the first update
    /// this parameter has seen, which SGD's momentum treats specially); <paramref name="step"/> counts from 1.
    /// </summary>
    protected abstract void Update(Parameter parameter, float[][] slots, bool firstStep, long step);

    /// <summary>
    /// Updates every parameter from its gradient. Parameter names must be unique: state is kept by name.
    /// After the first call with a given set of parameters this allocates nothing.
    /// </summary>
    public void Step(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        long step = StepCount + 1;
        long call = ++_stepCalls;
        // Look everything up first, so a bad parameter list leaves the model and the state untouched.
        for (int i = 0; i < parameters.Count; i++)
        {
            Parameter parameter = parameters[i] ?? throw new ArgumentException($"Parameter {i} is null.", nameof(parameters));
            ParameterState state = StateFor(parameter);
            if (state.LastCall == call)
                throw new ArgumentException($"Parameter '{parameter.Name}' appears twice in the list; names must be unique.", nameof(parameters));
            state.LastCall = call;
        }
        for (int i = 0; i < parameters.Count; i++)
        {
            Parameter parameter = parameters[i];
            ParameterState state = _states[parameter.Name];
            Update(parameter, state.Slots, state.Fresh, step);
            state.Fresh = false;
        }
        StepCount = step;
    }

    private ParameterState StateFor(Parameter parameter)
    {
        if (_states.TryGetValue(parameter.Name, out ParameterState? state))
        {
            if (state.Length != parameter.Length)
                throw new InvalidOperationException(
                    $"The optimiser state for '{parameter.Name}' holds {state.Length} values but the parameter has {parameter.Length}.");
            return state;
        }
        var slots = new float[SlotNames.Count][];
        for (int s = 0; s < slots.Length; s++)
            slots[s] = new float[parameter.Length];
        state = new ParameterState(parameter.Length, slots) { Fresh = true };
        _states.Add(parameter.Name, state);
        return state;
    }

    /// <summary>
    /// A copy of the optimiser's state: one buffer per parameter and slot under <c>"{name}.{slot}"</c>
    /// (for example <c>rnn.weight_ih_l0.exp_avg</c>), and <see cref="StepCount"/> under <see cref="StepKey"/>
    /// as two floats, low 24 bits then the rest, so that every count up to 2^48 survives a float tensor exactly.
    /// Hyperparameters are not part of the state: construct the resuming optimiser with the same ones.
    /// </summary>
    public IReadOnlyDictionary<string, float[]> ExportState()
    {
        var result = new Dictionary<string, float[]>(StringComparer.Ordinal)
        {
            [StepKey] = [StepCount & 0xFFFFFF, StepCount >> 24],
        };
        foreach (var (name, state) in _states)
            for (int s = 0; s < state.Slots.Length; s++)
                result.Add($"{name}.{SlotNames[s]}", (float[])state.Slots[s].Clone());
        return result;
    }

    /// <summary>
    /// Replaces all state with <paramref name="state"/>, as produced by <see cref="ExportState"/> of an
    /// optimiser of the same kind. The buffers are copied. Throws <see cref="ArgumentException"/> naming the
    /// offending key when the state is incomplete or belongs to a different kind of optimiser.
    /// </summary>
    public void ImportState(IReadOnlyDictionary<string, float[]> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.TryGetValue(StepKey, out float[]? stepValues))
            throw new ArgumentException($"The optimiser state has no '{StepKey}' entry.", nameof(state));
        long step = DecodeStep(stepValues);

        var byName = new Dictionary<string, float[]?[]>(StringComparer.Ordinal);
        foreach (var (key, values) in state)
        {
            if (key == StepKey) continue;
            int dot = key.LastIndexOf('.');
            int slot = dot <= 0 ? -1 : IndexOfSlot(key.AsSpan(dot + 1));
            if (slot < 0)
                throw new ArgumentException(
                    $"Optimiser state key '{key}' is not '<parameter>.<slot>' with a slot of {GetType().Name} ({string.Join(", ", SlotNames)}).", nameof(state));
            ArgumentNullException.ThrowIfNull(values, key);
            string name = key[..dot];
            if (!byName.TryGetValue(name, out float[]?[]? slots))
                byName.Add(name, slots = new float[]?[SlotNames.Count]);
            slots[slot] = values;
        }

        var imported = new Dictionary<string, ParameterState>(StringComparer.Ordinal);
        foreach (var (name, slots) in byName)
        {
            int length = -1;
            for (int s = 0; s < slots.Length; s++)
            {
                float[] values = slots[s] ?? throw new ArgumentException($"The optimiser state has no '{name}.{SlotNames[s]}' entry.", nameof(state));
                if (length >= 0 && values.Length != length)
                    throw new ArgumentException($"The optimiser state buffers of '{name}' differ in length.", nameof(state));
                length = values.Length;
            }
            var copies = new float[slots.Length][];
            for (int s = 0; s < slots.Length; s++) copies[s] = (float[])slots[s]!.Clone();
            imported.Add(name, new ParameterState(length, copies) { Fresh = false });
        }

        _states.Clear();
        foreach (var (name, parameterState) in imported) _states.Add(name, parameterState);
        StepCount = step;
    }

    private int IndexOfSlot(ReadOnlySpan<char> slot)
    {
        for (int s = 0; s < SlotNames.Count; s++)
            if (slot.SequenceEqual(SlotNames[s])) return s;
        return -1;
    }

    private static long DecodeStep(float[]? values)
    {
        if (values is not { Length: 2 } || !IsWhole(values[0]) || !IsWhole(values[1]) || values[0] >= (1 << 24))
            throw new ArgumentException($"The optimiser state's '{StepKey}' entry must be two whole non-negative floats (low 24 bits, high bits).", "state");
        return ((long)values[1] << 24) | (long)values[0];

        static bool IsWhole(float f) => f >= 0 && f < (1L << 24) && f == MathF.Floor(f);
    }

    /// <summary>One parameter's buffers and bookkeeping.</summary>
    private sealed class ParameterState(int length, float[][] slots)
    {
        public int Length { get; } = length;
        public float[][] Slots { get; } = slots;
        /// <summary>True until the first update, so SGD can seed its momentum with the gradient as PyTorch does.</summary>
        public bool Fresh { get; set; }
        /// <summary>The call of <see cref="Step"/> that last touched this state: a second touch in one call means a duplicate name.</summary>
        public long LastCall { get; set; }
    }
}
