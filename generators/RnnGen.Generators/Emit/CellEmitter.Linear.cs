using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Differentiation;
using RnnGen.Generators.Model;
using RnnGen.Generators.Planning;

namespace RnnGen.Generators.Emit;

internal sealed partial class CellEmitter
{
    // ---- The linear plan's own passes (RecurrenceKind.LinearScan), over every step's rows at once ------------------
    // The driver's frame for them has one step of steps x batch rows: row b is row b of the sequence batch.

    private void EmitLinearPasses()
    {
        EmitLinearCoefficients();
        if (_plan.Recurrence.Outputs.Count == 0) return;
        EmitLinearOutputs();
        EmitLinearOutputAdjoints();
    }

    /// <summary>The new value of scan state c, the node an output state reads: Output(c)'s operand.</summary>
    private int NewValue(int state) => _nodes.First(n => n.Kind == NodeKind.Output && n.StateIndex == state).A;

    private int OutputNode(int state) => _nodes.First(n => n.Kind == NodeKind.Output && n.StateIndex == state).Id;

    /// <summary>The nodes whose values <paramref name="roots"/> need, in order, stopping at nodes read from a buffer.</summary>
    private SortedSet<int> Needed(IEnumerable<int> roots, System.Func<int, bool> stop)
    {
        var needed = new SortedSet<int>();
        void Mark(int id)
        {
            if (!needed.Add(id) || !_nodes[id].IsElementwise || stop(id)) return;
            if (_nodes[id].A >= 0) Mark(_nodes[id].A);
            if (_nodes[id].B >= 0) Mark(_nodes[id].B);
        }
        foreach (int id in roots) Mark(id);
        return needed;
    }

    private static IEnumerable<int> ValuesOf(Term t)
    {
        if (t.Kind == TermKind.Value) yield return t.Id;
        foreach (var inner in new[] { t.A, t.B })
            if (inner is not null)
                foreach (int id in ValuesOf(inner)) yield return id;
    }

    /// <summary>
    /// Before the scans: a and b of every scan state, for every step at once (they read no state). Only the state-free
    /// values that a and b need are computed.
    /// </summary>
    private void EmitLinearCoefficients()
    {
        var scans = _plan.Recurrence.Scans;
        _w.Line();
        _w.Line("// The scans' coefficients, s' = a ⊙ s + b, of every step at once: rows [firstRow, endRow) of the [steps, batch] sequence batch.");
        foreach (var scan in scans)
            _w.Line($"//   {StateName(scan.State)}: a = {scan.CoefficientText}, b = {scan.OffsetText}");
        _w.Line(HotPath);
        _w.Open($"public static void LinearCoefficients<T, TV>(scoped ref {FrameType} _f, int _b0, int _b1, int _j0, int _j1) {Constraints}");
        var body = new LoopBody(this, 0, 0, backward: false);
        foreach (int id in Needed(scans.SelectMany(s => ValuesOf(s.Coefficient).Concat(ValuesOf(s.Offset))), _ => false))
            if (_nodes[id].IsElementwise && !body.Inlined(id))
                body.Add($"var {_names[id]} = {body.Expression(id)};");
        foreach (var scan in scans)
        {
            body.Add($"TV.Store({body.ScanCoefficientBuffer(scan.State)}, _row * _H + _j, {body.Term(scan.Coefficient, -1)});");
            body.Add($"TV.Store({body.ScanOffsetBuffer(scan.State)}, _row * _H + _j, {body.Term(scan.Offset, -1)});");
        }
        body.Write(_w);
        _w.Close();
    }

    /// <summary>A body that reads each scan state's new value from its states buffer, where the scan left it.</summary>
    private LoopBody ScannedBody(bool backward)
    {
        var body = new LoopBody(this, 0, 0, backward);
        foreach (var scan in _plan.Recurrence.Scans)
            body.External(NewValue(scan.State), $"TV.Load({body.ScanOffsetBuffer(scan.State)}, _row * _H + _j)");
        return body;
    }

    /// <summary>After the scans: the output states' new values, from the scans' new values, for every step at once.</summary>
    private void EmitLinearOutputs()
    {
        var outputs = _plan.Recurrence.Outputs;
        _w.Line();
        _w.Line("// After the scans, every step at once: the output states, from the scans' new values.");
        foreach (int k in outputs)
            _w.Line($"//   {Label(OutputNode(k))} = {ExpressionText.Of(_nodes[NewValue(k)], _cell)}");
        _w.Line(HotPath);
        _w.Open($"public static void LinearOutputs<T, TV>(scoped ref {FrameType} _f, int _b0, int _b1, int _j0, int _j1) {Constraints}");
        var body = ScannedBody(backward: false);
        foreach (int id in Needed(outputs.Select(NewValue), body.IsExternal))
            if (_nodes[id].IsElementwise && !body.IsExternal(id) && !body.Inlined(id))
                body.Add($"var {_names[id]} = {body.Expression(id)};");
        foreach (int k in outputs)
            body.Add($"TV.Store({body.ScanOffsetBuffer(k)}, _row * _H + _j, {body.Value(NewValue(k))});");
        body.Write(_w);
        _w.Close();
    }

    /// <summary>
    /// Before the reverse scans: what each output state's adjoint (after its step) sends to the scans' new values of
    /// the same step, added to the scans' local adjoints. Only the output states' own math is differentiated here; the
    /// rest of the step's adjoints come from its backward pass afterwards.
    /// </summary>
    private void EmitLinearOutputAdjoints()
    {
        var outputs = _plan.Recurrence.Outputs;
        var newValues = _plan.Recurrence.Scans.ToDictionary(s => NewValue(s.State), s => s.State);
        _w.Line();
        _w.Line("// Before the reverse scans, every step at once: the output states' adjoints into the scans' new values of the same step.");
        _w.Line(HotPath);
        _w.Open($"public static void LinearOutputAdjoints<T, TV>(scoped ref {FrameType} _f, int _b0, int _b1, int _j0, int _j1) {Constraints}");
        var body = ScannedBody(backward: true);
        var needed = Needed(outputs.Select(NewValue), body.IsExternal);
        body.Add("// The values, recomputed from the scans' new values:");
        foreach (int id in needed)
            if (_nodes[id].IsElementwise && !body.IsExternal(id))
                body.Add($"var {_names[id]} = {body.Expression(id)};");
        // The nodes between the output states and the scans' new values carry adjoints; the others are state-free.
        var carries = new HashSet<int>(newValues.Keys);
        foreach (int id in needed)
            if (_nodes[id].IsElementwise && ((_nodes[id].A >= 0 && carries.Contains(_nodes[id].A)) || (_nodes[id].B >= 0 && carries.Contains(_nodes[id].B))))
                carries.Add(id);
        var declared = new HashSet<int>();
        body.Add("// The output states' adjoints, then back to the scans' new values:");
        foreach (int k in outputs)
        {
            int output = OutputNode(k);
            body.Add($"var d_{_names[output]} = TV.Load({body.NextAdjointBuffer(k)}, _b * _H + _j);");
            declared.Add(output);
        }
        var order = needed.Where(carries.Contains).Concat(outputs.Select(OutputNode)).Where(id => !newValues.ContainsKey(id)).OrderByDescending(id => id);
        foreach (int id in order)
        {
            if (!declared.Contains(id)) continue; // nothing reached it
            foreach (var c in _plan.Contributions.Where(c => c.From == id && c.ToNode >= 0 && carries.Contains(c.ToNode)))
            {
                string term = body.Term(c.Term, id);
                if (declared.Add(c.ToNode)) body.Add($"var d_{_names[c.ToNode]} = {term};");
                else body.Add(Accumulate($"d_{_names[c.ToNode]}", term));
            }
        }
        foreach (var pair in newValues.OrderBy(v => v.Value))
            if (declared.Contains(pair.Key))
                body.Add($"TV.AddTo({body.NextAdjointBuffer(pair.Value)}, _b * _H + _j, d_{_names[pair.Key]});");
        body.Write(_w);
        _w.Close();
    }
}
