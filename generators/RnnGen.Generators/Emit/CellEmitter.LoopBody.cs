using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Differentiation;
using RnnGen.Generators.Model;
using RnnGen.Generators.Planning;

namespace RnnGen.Generators.Emit;

internal sealed partial class CellEmitter
{
    // ---- One j-loop --------------------------------------------------------------------------------

    /// <summary>
    /// The body of one fused loop over a row: statements in order, plus the loads they need, which are
    /// gathered as expressions ask for values and written at the top of the loop.
    /// </summary>
    private sealed class LoopBody
    {
        private readonly CellEmitter _e;
        private readonly int _pass, _segment;
        private readonly bool _backward;
        private readonly List<string> _loads = new();
        private readonly HashSet<int> _loaded = new();
        private readonly List<string> _leafAdjoints = new();
        private readonly List<string> _statements = new();
        private readonly SortedSet<string> _prologue = new();

        public LoopBody(CellEmitter emitter, int pass, int segment, bool backward)
        {
            _e = emitter;
            _pass = pass;
            _segment = segment;
            _backward = backward;
        }

        public void Add(string statement) => _statements.Add(statement);
        public void AddLeafAdjoint(string statement) => _leafAdjoints.Add(statement);

        public bool IsLocal(int id) =>
            _e._nodes[id].IsElementwise && _e._plan.PassOf[id] == _pass && _e._plan.SegmentOf[id] == _segment;

        private int Consumers(int id) => _e._nodes.Count(n => n.A == id) + _e._nodes.Count(n => n.B == id);

        /// <summary>In the forward loop, an unnamed single-use temporary is written inside its consumer.</summary>
        public bool Inlined(int id)
        {
            var n = _e._nodes[id];
            if (_backward || n.Name is not null || n.Kind is NodeKind.Output || Operations.OperationTable.Of(n.Kind).IsRowwise || _e._plan.Saved[id]) return false;
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
            _prologue.Add("int _atGrad = _f.AtGrad; // this row's block of the bias-gradient sums");
            return "_atGrad";
        }

        /// <summary>The value of a node as a C# expression, loading it first if it lives in a buffer.</summary>
        public string Value(int id)
        {
            var n = _e._nodes[id];
            if (n.Kind == NodeKind.Constant) return OperationText.Constant(n.Value);
            if (IsLocal(id)) return Inlined(id) ? "(" + Expression(id) + ")" : _e._names[id];
            if (_loaded.Add(id)) _loads.Add($"var {_e._names[id]} = {Load(n)};");
            return _e._names[id];
        }

        private string Load(Node n)
        {
            switch (n.Kind)
            {
                case NodeKind.State:
                    return $"TV.Load(_f.{StateBuffer(_e.StateName(n.StateIndex))}, _row * _H + _j)";
                case NodeKind.Bias:
                    return $"TV.Load(_f.{_e.Field(n.Param)}, _j)";
                case NodeKind.MatVec:
                    var g = _e._plan.Groups[_e._plan.GroupOf[n.Id]];
                    return $"TV.Load(_f.{g.Name}, {GroupRow(g)} + {_e._plan.BlockOf[n.Id]} * _H + _j)";
                default:
                    if (!_e._plan.Saved[n.Id])
                        throw new System.InvalidOperationException($"value '{_e._names[n.Id]}' is read outside its pass but was not planned to be saved");
                    return $"TV.Load(_f.{_e.Saved(n.Id)}, _row * _H + _j)";
            }
        }

        public string Expression(int id)
        {
            var n = _e._nodes[id];
            return n.IsElementwise ? OperationText.Forward(n, Context(() => throw new System.InvalidOperationException("a forward value reads no adjoint"))) : Value(id);
        }

        private TermContext Context(System.Func<string> adjoint) => new(Value, adjoint, ParamValue, Statistic);

        /// <summary>A row statistic of a node, splat once per row: a forward one is saved per step and row, a backward one
        /// was just computed for this row.</summary>
        private string Statistic(int node, string name)
        {
            string y = _e._names[node];
            string local = $"_{name.ToLowerInvariant()}_{y}";
            var statistic = Operations.OperationTable.Of(_e._nodes[node].Kind).Statistics.First(s => s.Name == name);
            _prologue.Add($"var {local} = TV.Splat({OperationText.StatisticField("_f", statistic, y, "_row")});");
            return local;
        }

        // LayerNorm's gain and bias are parameters read per column, like a bias.
        public string ParamValue(int parameter)
        {
            var node = _e._nodes.FirstOrDefault(n => n.Kind == NodeKind.Bias && n.Param == parameter);
            if (node is not null) return Value(node.Id);
            string name = "_p_" + _e.Field(parameter);
            if (_loaded.Add(-1 - parameter)) _loads.Add($"var {name} = TV.Load(_f.{_e.Field(parameter)}, _j);");
            return name;
        }

        public string AdjointSeed(int id)
        {
            var n = _e._nodes[id];
            var parts = new List<string>();
            if (n.Kind == NodeKind.Output) parts.Add($"TV.Load(_f.dNext_{_e.StateName(n.StateIndex)}, _b * _H + _j)");
            if (_e._plan.AdjointSlot[id]) parts.Add($"TV.Load(_f.{_e.Slot(id)}, _b * _H + _j)");
            // A derivative that reads means of its node's adjoint row (LayerNorm's) is added here, in its operand's segment,
            // once that row is complete: its adjoint is then read back from the node's slot.
            foreach (var c in _e._plan.Contributions.Where(c => c.ToNode == id && Operations.OperationTable.ReadsAdjointRow(c.Term, _e._nodes)))
                parts.Add(OperationText.Render(c.Term, Context(() => $"TV.Load(_f.{_e.Slot(c.From)}, _b * _H + _j)")));
            return parts.Count == 0 ? "TV.Zero" : string.Join(" + ", parts);
        }

        public string Term(Term term, int self) => OperationText.Render(term, Context(() => "d_" + _e._names[self]));

        public void Write(SourceWriter w)
        {
            w.Line("int _H = _f.Hidden;");
            w.Line("int _row = _f.Step * _f.Batch + _b; // row (t, b) of the [steps, batch] sequence batch");
            if (_statements.Any(s => s.Contains("_rowNext"))) w.Line("int _rowNext = _row + _f.Batch; // the same row one step later");
            foreach (var line in _prologue) w.Line(line);
            w.Open("for (int _j = _start; _j + TV.Count <= _end; _j += TV.Count)");
            foreach (var line in _loads) w.Line(line);
            foreach (var line in _leafAdjoints) w.Line(line);
            foreach (var line in _statements) w.Line(line);
            w.Close();
        }
    }
}
