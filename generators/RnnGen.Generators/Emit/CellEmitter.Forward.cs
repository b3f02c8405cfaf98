using System.Linq;
using RnnGen.Generators.Model;
using RnnGen.Generators.Planning;

namespace RnnGen.Generators.Emit;

internal sealed partial class CellEmitter
{
    // ---- Forward ---------------------------------------------------------------------------------

    private void EmitForward()
    {
        foreach (var type in new[] { "float", "double" })
        {
            _w.Open($"public void Forward({Span(type, true)} parameters, {Span(type, true)} inputs, {Span(type, true)} initialStates, {Span(type)} outputs, {Span(type)} finalStates, global::RnnGen.CellTape<{type}> tape, int steps, int batch)");
            EmitDispatch("ForwardCore", "parameters, inputs, initialStates, outputs, finalStates, tape, steps, batch", type);
            _w.Close();
            _w.Line();
        }

        _w.Open($"private void ForwardCore<T, TV>(global::System.ReadOnlySpan<T> parameters, global::System.ReadOnlySpan<T> inputs, global::System.ReadOnlySpan<T> initialStates, global::System.Span<T> outputs, global::System.Span<T> finalStates, global::RnnGen.CellTape<T> tape, int steps, int batch) {Constraints}");
        _w.Line($"{Kernels}.CellSupport.CheckForward(\"{_cell.TypeName}\", ParameterCount, {States}, __input, __hidden, steps, batch, parameters.Length, inputs.Length, initialStates.Length, outputs.Length, finalStates.Length);");
        _w.Line("tape.Begin(steps, batch);");
        _w.Line("int I = __input, H = __hidden, rows = steps * batch;");
        _w.Line("var f = TapeFrame(tape, parameters);");
        if (InputGroup is { } input)
        {
            _w.Line("// The input's products for every step at once, before the recurrence:");
            foreach (var run in input.Runs)
            {
                _w.Line($"// Xp[t, b]{Blocks(input, run)} = {Stack(input, run)} * {_cell.InputName}[t, b]");
                _w.Line($"{Kernels}.Gemm.Multiply<T>(false, true, rows, {run.Count} * H, I, inputs, I, parameters.Slice({At(Field(FirstWeight(input, run)))}), I, f.Xp.Slice({run.Start} * H), {input.Products.Count} * H, false);");
            }
        }
        for (int k = 0; k < States; k++)
        {
            string s = StateBuffer(StateName(k));
            _w.Line($"if (initialStates.IsEmpty) f.{s}.Slice(0, batch * H).Clear();");
            _w.Line($"else initialStates.Slice({k} * batch * H, batch * H).CopyTo(f.{s});");
        }
        if (RecurrentGroups.Any())
        {
            _w.Line("// Every step multiplies by the same stacked weights: pack them once for the whole window (not worth it for a step or two).");
            _w.Line("__packed = steps >= 4;");
            _w.Open("if (__packed)");
            foreach (var g in RecurrentGroups)
                for (int r = 0; r < g.Runs.Count; r++)
                    _w.Line($"{Kernels}.Gemm.Pack<T>(true, H, {g.Runs[r].Count} * H, parameters.Slice({At(Field(FirstWeight(g, g.Runs[r])))}), H, Packing<T>(ref {PackedField(g, r, true)}));");
            _w.Close();
        }
        _w.Line("// The recurrence: its rows shared between threads when a step's products are too small to split.");
        _w.Line($"int parts = {Kernels}.RowSplit.Parts(batch, {StepFlops()});");
        _w.Line("__tape = tape;");
        _w.Line($"if (parts > 1) {Kernels}.RowSplit.Run(parts, batch, parameters, default, __forwardPart as {Kernels}.RowSplit.Body<T> ?? ({Kernels}.RowSplit.Body<T>)(__forwardPart = new {Kernels}.RowSplit.Body<T>(ForwardPart<T, TV>)));");
        _w.Line($"else ForwardSteps<T, TV>(f, parameters, 0, batch, {Kernels}.RowSplit.PassParts(batch, H));");
        _w.Line("__tape = null;");
        _w.Line($"// The outputs are the first state ({StateName(0)}) after each step.");
        _w.Line($"f.{StateBuffer(StateName(0))}.Slice(batch * H, rows * H).CopyTo(outputs);");
        _w.Open("if (!finalStates.IsEmpty)");
        for (int k = 0; k < States; k++)
            _w.Line($"f.{StateBuffer(StateName(k))}.Slice(rows * H, batch * H).CopyTo(finalStates.Slice({k} * batch * H));");
        _w.Close();
        _w.Close();
        _w.Line();

        _w.Line("private void ForwardPart<T, TV>(int part, int b0, int b1, global::System.ReadOnlySpan<T> parameters, global::System.ReadOnlySpan<T> unused) " + Constraints + " =>");
        _w.Line("    ForwardSteps<T, TV>(TapeFrame((global::RnnGen.CellTape<T>)__tape!, parameters), parameters, b0, b1, 1);");
        _w.Line();

        _w.Line("// Every step for rows [b0, b1): the products of each level, then the fused passes they feed (their rows");
        _w.Line("// shared between passParts threads when the products were big enough to be split themselves).");
        _w.Line(HotPath);
        _w.Open($"private void ForwardSteps<T, TV>(Frame<T> f, global::System.ReadOnlySpan<T> parameters, int b0, int b1, int passParts) {Constraints}");
        _w.Line("int H = f.Hidden, batch = f.Batch, steps = f.Steps;");
        _w.Open("for (int t = 0; t < steps; t++)");
        _w.Line("f.Step = t;");
        foreach (var pass in _plan.Passes)
        {
            foreach (var g in RecurrentGroups.Where(g => g.Level == pass.Level))
            {
                for (int r = 0; r < g.Runs.Count; r++)
                {
                    var run = g.Runs[r];
                    string c = $"f.{g.Name}.Slice((t * batch + b0) * {g.Products.Count} * H + {run.Start} * H)";
                    _w.Line($"// {g.Name}[t]{Blocks(g, run)} = {Stack(g, run)} * {_names[g.Operand]}[t]");
                    _w.Line($"if (__packed) {Kernels}.Gemm.Multiply<T>(b1 - b0, {OperandAt(g, "t")}, H, ({Kernels}.PackedMatrix<T>){PackedField(g, r, true)}!, {c}, {g.Products.Count} * H, false);");
                    _w.Line($"else {Kernels}.Gemm.Multiply<T>(false, true, b1 - b0, {run.Count} * H, H, {OperandAt(g, "t")}, H, parameters.Slice({At(Field(FirstWeight(g, run)))}), H, {c}, {g.Products.Count} * H, false);");
                }
            }
            int p = _plan.Passes.ToList().IndexOf(pass);
            _w.Open("if (passParts > 1)");
            _w.Line("__step = t;");
            _w.Line($"{Kernels}.RowSplit.Run(passParts, batch, parameters, default, __forwardPass{p} as {Kernels}.RowSplit.Body<T> ?? ({Kernels}.RowSplit.Body<T>)(__forwardPass{p} = new {Kernels}.RowSplit.Body<T>(ForwardPass{p}Part<T, TV>)));");
            _w.Close();
            _w.Line($"else ForwardPass{p}Rows<T, TV>(ref f, b0, b1);");
        }
        _w.Close();
        _w.Close();
        _w.Line();

        for (int p = 0; p < _plan.Passes.Count; p++)
        {
            var pass = _plan.Passes[p];
            _w.Line($"private void ForwardPass{p}Part<T, TV>(int part, int b0, int b1, global::System.ReadOnlySpan<T> parameters, global::System.ReadOnlySpan<T> unused) {Constraints}");
            _w.Line("{");
            _w.Line("    var f = TapeFrame((global::RnnGen.CellTape<T>)__tape!, parameters);");
            _w.Line("    f.Step = __step;");
            _w.Line($"    ForwardPass{p}Rows<T, TV>(ref f, b0, b1);");
            _w.Line("}");
            _w.Line();
            _w.Line($"// Pass {p} of step f.Step for rows [b0, b1).");
            _w.Open($"private static void ForwardPass{p}Rows<T, TV>(scoped ref Frame<T> f, int b0, int b1) {Constraints}");
            _w.Line("int H = f.Hidden, batch = f.Batch, t = f.Step, vectorEnd = H - H % TV.Count;");
            _w.Open("for (int b = b0; b < b1; b++)");
            foreach (var segment in pass.Segments)
            {
                foreach (int norm in segment.Norms)
                {
                    var n = _nodes[norm];
                    _w.Line(OperationText.RowKernel(Operations.OperationTable.Of(n.Kind).ForwardKernel!, n, _names[norm], "t * batch + b",
                        $"f.{Saved(n.A)}.Slice((t * batch + b) * H, H)", "", p => $"f.{Field(p)}"));
                }
                _w.Line($"ForwardPass{p}Segment{segment.Index}<T, TV>(ref f, b, 0, vectorEnd);");
                _w.Line($"ForwardPass{p}Segment{segment.Index}<T, {Kernels}.Scalar<T>>(ref f, b, vectorEnd, H);");
            }
            _w.Close();
            _w.Close();
            _w.Line();
        }

        for (int p = 0; p < _plan.Passes.Count; p++)
            foreach (var segment in _plan.Passes[p].Segments)
                EmitForwardSegment(p, segment);
    }

    private static string Blocks(ProductGroup g, Run run) => run.Count == g.Products.Count ? "" : $" (blocks {run.Start}..{run.Start + run.Count - 1})";

    private void EmitForwardSegment(int p, Segment segment)
    {
        foreach (int id in segment.Nodes.Where(id => _nodes[id].Name is not null || _nodes[id].Kind == NodeKind.Output))
            _w.Line($"// {Label(id)} = {ExpressionText.Of(_nodes[id], _cell)}");
        _w.Line(HotPath);
        _w.Open($"private static void ForwardPass{p}Segment{segment.Index}<T, TV>(scoped ref Frame<T> _f, int _b, int _start, int _end) {Constraints}");
        var body = new LoopBody(this, p, segment.Index, backward: false);
        foreach (int id in segment.Nodes)
        {
            var node = _nodes[id];
            if (body.Inlined(id)) continue;
            body.Add($"var {_names[id]} = {body.Expression(id)};");
            if (node.Kind == NodeKind.Output)
                body.Add($"TV.Store(_f.{StateBuffer(StateName(node.StateIndex))}, _rowNext * _H + _j, {_names[id]});");
            else if (_plan.Saved[id])
                body.Add($"TV.Store(_f.{Saved(id)}, _row * _H + _j, {_names[id]});");
        }
        body.Write(_w);
        _w.Close();
        _w.Line();
    }
}
