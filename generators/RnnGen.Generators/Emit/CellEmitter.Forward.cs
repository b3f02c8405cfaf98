using System.Linq;
using RnnGen.Generators.Model;
using RnnGen.Generators.Planning;

namespace RnnGen.Generators.Emit;

internal sealed partial class CellEmitter
{
    // ---- The entry points: the runtime driver runs the recurrence ------------------------------------

    private void EmitEntryPoints()
    {
        _w.Line("// The time loop, the products, the threads and the backward pass through time are the runtime's (RnnGen.Recurrence.RecurrenceDriver).");
        foreach (var type in new[] { "float", "double" })
        {
            _w.Line($"public void Forward({Span(type, true)} parameters, {Span(type, true)} inputs, {Span(type, true)} initialStates, {Span(type)} outputs, {Span(type)} finalStates, __RnnGen.CellTape<{type}> tape, int steps, int batch) =>");
            _w.Line($"    {Recurrence}.RecurrenceDriver.Forward<__Operators, {type}>(__plan, parameters, inputs, initialStates, outputs, finalStates, tape, steps, batch);");
        }
        foreach (var type in new[] { "float", "double" })
        {
            _w.Line($"public void Backward({Span(type, true)} parameters, {Span(type, true)} inputs, __RnnGen.CellTape<{type}> tape, {Span(type, true)} outputGradients, {Span(type, true)} finalStateGradients, {Span(type)} parameterGradients, {Span(type)} inputGradients, {Span(type)} initialStateGradients) =>");
            _w.Line($"    {Recurrence}.RecurrenceDriver.Backward<__Operators, {type}>(__plan, parameters, inputs, tape, outputGradients, finalStateGradients, parameterGradients, inputGradients, initialStateGradients);");
        }
        _w.Line();
    }

    // ---- The operators: the step's math, as fused loops over rows and hidden columns -----------------

    private void EmitOperators()
    {
        _w.Line("// The step's math as fused loops over rows [firstRow, endRow) and hidden columns [firstColumn, endColumn).");
        _w.Open("private struct __Operators : __Recurrence.IRecurrenceOperator");
        var segments = _plan.Passes.SelectMany((p, i) => p.Segments.Select(s => (Pass: i, s.Index))).ToList();
        foreach (var method in new[] { "Forward", "Backward" })
        {
            string signature = $"public static void {method}<T, TV>(int pass, int segment, scoped ref {FrameType} f, int firstRow, int endRow, int firstColumn, int endColumn) {Constraints}";
            if (segments.Count == 1)
            {
                _w.Line(signature + " =>");
                _w.Line("    " + Dispatch(method, segments[0].Pass, segments[0].Index, only: true));
                continue;
            }
            _w.Open(signature);
            for (int k = 0; k < segments.Count; k++)
                _w.Line((k > 0 ? "else " : "") + Dispatch(method, segments[k].Pass, segments[k].Index, only: false));
            _w.Close();
        }
        _w.Line();
        for (int p = 0; p < _plan.Passes.Count; p++)
            foreach (var segment in _plan.Passes[p].Segments)
                EmitForwardSegment(p, segment);
        for (int p = 0; p < _plan.Passes.Count; p++)
            foreach (var segment in _plan.Passes[p].Segments)
                EmitBackwardSegment(p, segment, last: p == _plan.Passes.Count - 1 && segment.Index == _plan.Passes[p].Segments.Count - 1);
        if (_plan.Recurrence.IsLinear) EmitLinearPasses();
        _w.Close();
    }

    private void EmitForwardSegment(int p, Segment segment)
    {
        foreach (int id in segment.Nodes.Where(id => _nodes[id].Name is not null || _nodes[id].Kind == NodeKind.Output))
            _w.Line($"// {Label(id)} = {ExpressionText.Of(_nodes[id], _cell)}");
        _w.Line(HotPath);
        _w.Open($"private static void ForwardPass{p}Segment{segment.Index}<T, TV>(scoped ref {FrameType} _f, int _b0, int _b1, int _j0, int _j1) {Constraints}");
        var body = new LoopBody(this, p, segment.Index, backward: false);
        foreach (int id in segment.Nodes)
        {
            var node = _nodes[id];
            if (body.Inlined(id)) continue;
            body.Add($"var {_names[id]} = {body.Expression(id)};");
            if (node.Kind == NodeKind.Output)
                body.Add($"TV.Store({body.StateBuffer(node.StateIndex)}, _rowNext * _H + _j, {_names[id]});");
            else if (_plan.Saved[id])
                body.Add($"TV.Store({body.SavedBuffer(id)}, _row * _H + _j, {_names[id]});");
        }
        body.Write(_w);
        _w.Close();
        _w.Line();
    }
}
