using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Differentiation;
using RnnGen.Generators.Model;
using RnnGen.Generators.Operations;
using RnnGen.Generators.Planning;

namespace RnnGen.Generators.Emit;

internal sealed partial class CellEmitter
{
    // ---- One j-loop --------------------------------------------------------------------------------

    /// <summary>
    /// The body of one fused loop over rows and columns: statements in order, plus the loads they need, which are
    /// gathered as expressions ask for values and written at the top of the loop, and the buffers they read from
    /// the driver's frame, bound once before the rows.
    /// </summary>
    private sealed class LoopBody
    {
        private readonly CellEmitter _e;
        private readonly int _pass, _segment;
        private readonly bool _backward;
        private readonly List<string> _loads = new();
        private readonly HashSet<int> _loaded = new();
        private readonly List<string> _statements = new();
        private readonly SortedSet<string> _prologue = new();
        private readonly List<string> _bindings = new();
        private readonly HashSet<string> _bound = new();
        // Values this loop reads from a buffer instead of computing them: the scans' new values, for a linear plan's output states.
        private readonly Dictionary<int, string> _external = new();

        public LoopBody(CellEmitter emitter, int pass, int segment, bool backward)
        {
            _e = emitter;
            _pass = pass;
            _segment = segment;
            _backward = backward;
        }

        public void Add(string statement) => _statements.Add(statement);

        /// <summary>Reads node <paramref name="id"/> with <paramref name="load"/> wherever it is needed.</summary>
        public void External(int id, string load) => _external[id] = load;

        public bool IsExternal(int id) => _external.ContainsKey(id);

        // ---- The buffers, by their place in the runtime plan (RnnGen.Recurrence.RecurrencePlan) ----

        private string Buffer(string local, string source)
        {
            if (_bound.Add(local)) _bindings.Add($"var {local} = _f.{source};");
            return local;
        }

        public string ProductBuffer(ProductGroup g) => Buffer("_" + g.Name, $"Products({g.Index})");
        public string ProductAdjointBuffer(ProductGroup g) => Buffer("_d" + g.Name, $"ProductAdjoints({g.Index})");
        public string StateBuffer(int state) => Buffer("_State_" + _e.StateName(state), $"States({state})");
        public string NextAdjointBuffer(int state) => Buffer("_dNext_" + _e.StateName(state), $"NextStateAdjoints({state})");
        public string PrevAdjointBuffer(int state) => Buffer("_dPrev_" + _e.StateName(state), $"PrevStateAdjoints({state})");
        public string ScanCoefficientBuffer(int state) => Buffer("_ScanA_" + _e.StateName(state), $"ScanCoefficients({state})");
        public string ScanOffsetBuffer(int state) => Buffer("_ScanB_" + _e.StateName(state), $"ScanOffsets({state})");
        public string SavedBuffer(int id) => Buffer("_Saved_" + _e._names[id], $"Saved({_e._savedIndex[id]})");
        public string SlotBuffer(int id) => Buffer("_Adj_" + _e._names[id], $"AdjointSlot({_e._slotIndex[id]})");
        public string InputBuffer() => Buffer("_Inputs", "Inputs()");
        public string InputAdjointBuffer() => Buffer("_dInputs", "InputAdjoints()");
        public string VectorBuffer(int parameter) => Buffer("_Vec_" + _e.Field(parameter), $"Vector({_e._vectorIndex[parameter]})");
        public string GradientBuffer(int parameter) => Buffer("_Grad_" + _e.Field(parameter), $"VectorGradients({_e._vectorIndex[parameter]})");
        public bool IsLocal(int id) =>
            _e._nodes[id].IsElementwise && _e._plan.PassOf[id] == _pass && _e._plan.SegmentOf[id] == _segment;

        private int Consumers(int id) => _e._nodes.Count(n => n.A == id) + _e._nodes.Count(n => n.B == id);

        /// <summary>In the forward loop, an unnamed single-use temporary is written inside its consumer.</summary>
        public bool Inlined(int id)
        {
            var n = _e._nodes[id];
            if (_backward || n.Name is not null || n.Kind is NodeKind.Output || OperationTable.Of(n.Kind).IsRowwise || _e._plan.Saved[id]) return false;
            var consumers = _e._nodes.Where(c => c.A == id || c.B == id).ToList();
            return consumers.Count == 1 && consumers[0].A != consumers[0].B && consumers[0].Kind != NodeKind.MatVec && IsLocal(consumers[0].Id);
        }

        public string GroupRow(ProductGroup g)
        {
            string name = "_at" + g.Name;
            _prologue.Add($"int {name} = _row * {g.Products.Count} * _H; // row (t, b) of {g.Name}");
            return name;
        }

        /// <summary>Where this row's bias-gradient sums start: each block of rows sums its own, so that the order of
        /// every sum is fixed by the batch alone and not by how the rows are shared between threads.</summary>
        public string GradientRow()
        {
            _prologue.Add("int _atGrad = _f.GradientRow(_b); // this row's block of the bias-gradient sums");
            return "_atGrad";
        }

        /// <summary>The value of a node as a C# expression, loading it first if it lives in a buffer.</summary>
        public string Value(int id)
        {
            var n = _e._nodes[id];
            if (n.Kind == NodeKind.Constant) return OperationText.Constant(n.Value);
            if (_external.TryGetValue(id, out var load))
            {
                if (_loaded.Add(id)) _loads.Add($"var {_e._names[id]} = {load};");
                return _e._names[id];
            }
            if (IsLocal(id)) return Inlined(id) ? "(" + Expression(id) + ")" : _e._names[id];
            if (_loaded.Add(id)) _loads.Add($"var {_e._names[id]} = {Load(n)};");
            return _e._names[id];
        }

        private string Load(Node n)
        {
            switch (n.Kind)
            {
                case NodeKind.State:
                    return $"TV.Load({StateBuffer(n.StateIndex)}, _row * _H + _j)";
                case NodeKind.Input: // read elementwise: the input size is the hidden size
                    return $"TV.Load({InputBuffer()}, _row * _H + _j)";
                case NodeKind.Bias:
                    return $"TV.Load({VectorBuffer(n.Param)}, _j)";
                case NodeKind.MatVec:
                    var g = _e._plan.Groups[_e._plan.GroupOf[n.Id]];
                    return $"TV.Load({ProductBuffer(g)}, {GroupRow(g)} + {_e._plan.BlockOf[n.Id]} * _H + _j)";
                default:
                    if (!_e._plan.Saved[n.Id])
                        throw new System.InvalidOperationException($"value '{_e._names[n.Id]}' is read outside its pass but was not planned to be saved");
                    return $"TV.Load({SavedBuffer(n.Id)}, _row * _H + _j)";
            }
        }

        public string Expression(int id)
        {
            var n = _e._nodes[id];
            return n.IsElementwise ? OperationText.Forward(n, Context(() => throw new System.InvalidOperationException("a forward value reads no adjoint"))) : Value(id);
        }

        private TermContext Context(System.Func<string> adjoint) => new(Value, adjoint, ParamValue, Statistic);

        /// <summary>A row statistic of a node, splatted once per row from where the driver keeps it.</summary>
        private string Statistic(int node, string name)
        {
            string y = _e._names[node];
            var (frame, index) = OperationText.StatisticPlace(OperationTable.Of(_e._nodes[node].Kind), name, "_row", "_b");
            string buffer = Buffer($"_{frame}_{y}", $"{frame}({_e._normIndex[node]})");
            string local = $"_{name.ToLowerInvariant()}_{y}";
            _prologue.Add($"var {local} = TV.Splat({buffer}[{index}]);");
            return local;
        }

        // LayerNorm's gain and bias are parameters read per column, like a bias.
        public string ParamValue(int parameter)
        {
            var node = _e._nodes.FirstOrDefault(n => n.Kind == NodeKind.Bias && n.Param == parameter);
            if (node is not null) return Value(node.Id);
            string name = "_p_" + _e.Field(parameter);
            if (_loaded.Add(-1 - parameter)) _loads.Add($"var {name} = TV.Load({VectorBuffer(parameter)}, _j);");
            return name;
        }

        public string AdjointSeed(int id)
        {
            var n = _e._nodes[id];
            var parts = new List<string>();
            if (n.Kind == NodeKind.Output) parts.Add($"TV.Load({NextAdjointBuffer(n.StateIndex)}, _b * _H + _j)");
            if (_e._plan.AdjointSlot[id]) parts.Add($"TV.Load({SlotBuffer(id)}, _b * _H + _j)");
            // A derivative that reads means of its node's adjoint row (LayerNorm's input adjoint) is added here, in its
            // operand's segment, once the driver has the row's means: the node's adjoint is read back from its slot.
            foreach (var c in _e._plan.Contributions.Where(c => c.ToNode == id && OperationTable.ReadsAdjointRow(c.Term, _e._nodes)))
                parts.Add(OperationText.Render(c.Term, Context(() => $"TV.Load({SlotBuffer(c.From)}, _b * _H + _j)")));
            return parts.Count == 0 ? "TV.Zero" : string.Join(" + ", parts);
        }

        public string Term(Term term, int self) => OperationText.Render(term, Context(() => "d_" + _e._names[self]));

        public void Write(SourceWriter w)
        {
            w.Line("int _H = _f.Hidden;");
            // The buffers, bound once: a few of a kind to a line, so that the math keeps most of the page.
            foreach (var kind in _bindings.GroupBy(b => b.Substring(b.IndexOf("_f.") + 3, b.IndexOf('(') - b.IndexOf("_f.") - 3)))
                foreach (var line in kind.Select((b, k) => (b, k)).GroupBy(x => x.k / 4))
                    w.Line(string.Join(" ", line.Select(x => x.b)));
            w.Open("for (int _b = _b0; _b < _b1; _b++)");
            w.Line("int _row = _f.Row(_b); // row (t, b) of the [steps, batch] sequence batch");
            if (_statements.Any(s => s.Contains("_rowNext"))) w.Line("int _rowNext = _row + _f.Batch; // the same row one step later");
            foreach (var line in _prologue) w.Line(line);
            w.Open("for (int _j = _j0; _j + TV.Count <= _j1; _j += TV.Count)");
            foreach (var line in _loads) w.Line(line);
            foreach (var line in _statements) w.Line(line);
            w.Close();
            w.Close();
        }
    }
}
