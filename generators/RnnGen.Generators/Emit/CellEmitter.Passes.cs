using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Differentiation;
using RnnGen.Generators.Model;
using RnnGen.Generators.Planning;

namespace RnnGen.Generators.Emit;

internal sealed partial class CellEmitter
{
    private void EmitDispatch(string method, string arguments, string type)
    {
        _w.Line($"if (global::System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated) {method}<{type}, {Kernels}.Simd512<{type}>>({arguments});");
        _w.Line($"else if (global::System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated) {method}<{type}, {Kernels}.Simd256<{type}>>({arguments});");
        _w.Line($"else {method}<{type}, {Kernels}.Scalar<{type}>>({arguments});");
    }

    // The fused passes run millions of times in a training run: compile them fully optimised at once
    // instead of through the tiers, so that short runs and benchmarks see the same code as long ones.
    private const string HotPath = "[global::System.Runtime.CompilerServices.MethodImpl(global::System.Runtime.CompilerServices.MethodImplOptions.AggressiveOptimization)]";

    private static string Span(string type, bool readOnly = false) => $"global::System.{(readOnly ? "ReadOnlySpan" : "Span")}<{type}>";

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
        _w.Line("// The recurrence: on both cores, half of the rows each, when a step's products are too small to split.");
        _w.Open($"if ({Kernels}.RowSplit.Parts(batch, {StepFlops()}) == 2)");
        _w.Line("__tape = tape;");
        _w.Line($"var part = __forwardPart as {Kernels}.RowSplit.Body<T> ?? (__forwardPart = new {Kernels}.RowSplit.Body<T>(ForwardPart<T, TV>)) as {Kernels}.RowSplit.Body<T>;");
        _w.Line($"{Kernels}.RowSplit.Run(batch, parameters, default, part!);");
        _w.Line("__tape = null;");
        _w.Close();
        _w.Open("else");
        _w.Line("__tape = tape;");
        _w.Line($"ForwardSteps<T, TV>(f, parameters, 0, batch, {Kernels}.RowSplit.PassesInParallel(batch, H));");
        _w.Line("__tape = null;");
        _w.Close();
        _w.Line($"// The outputs are the first state ({StateName(0)}) after each step.");
        _w.Line($"f.{StateBuffer(StateName(0))}.Slice(batch * H, rows * H).CopyTo(outputs);");
        _w.Open("if (!finalStates.IsEmpty)");
        for (int k = 0; k < States; k++)
            _w.Line($"f.{StateBuffer(StateName(k))}.Slice(rows * H, batch * H).CopyTo(finalStates.Slice({k} * batch * H));");
        _w.Close();
        _w.Close();
        _w.Line();

        _w.Line("private void ForwardPart<T, TV>(int part, int b0, int b1, global::System.ReadOnlySpan<T> parameters, global::System.ReadOnlySpan<T> unused) " + Constraints + " =>");
        _w.Line("    ForwardSteps<T, TV>(TapeFrame((global::RnnGen.CellTape<T>)__tape!, parameters), parameters, b0, b1, false);");
        _w.Line();

        _w.Line("// Every step for rows [b0, b1): the products of each level, then the fused passes they feed (their rows");
        _w.Line("// shared between both cores when the products were big enough to be split themselves).");
        _w.Line(HotPath);
        _w.Open($"private void ForwardSteps<T, TV>(Frame<T> f, global::System.ReadOnlySpan<T> parameters, int b0, int b1, bool passesInParallel) {Constraints}");
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
            _w.Open("if (passesInParallel)");
            _w.Line("__step = t;");
            _w.Line($"{Kernels}.RowSplit.Run(batch, parameters, default, __forwardPass{p} as {Kernels}.RowSplit.Body<T> ?? ({Kernels}.RowSplit.Body<T>)(__forwardPass{p} = new {Kernels}.RowSplit.Body<T>(ForwardPass{p}Part<T, TV>)));");
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
                    _w.Line($"{Kernels}.RowNorm.Statistics<T>(f.{Saved(n.A)}.Slice((t * batch + b) * H, H), out f.Mean_{_names[norm]}[t * batch + b], out f.Rstd_{_names[norm]}[t * batch + b]);");
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

    private string Label(int id) => _nodes[id].Kind == NodeKind.Output ? StateName(_nodes[id].StateIndex) + "'" : _names[id];

    // ---- Backward --------------------------------------------------------------------------------

    private void EmitBackward()
    {
        foreach (var type in new[] { "float", "double" })
        {
            _w.Open($"public void Backward({Span(type, true)} parameters, {Span(type, true)} inputs, global::RnnGen.CellTape<{type}> tape, {Span(type, true)} outputGradients, {Span(type, true)} finalStateGradients, {Span(type)} parameterGradients, {Span(type)} inputGradients, {Span(type)} initialStateGradients)");
            EmitDispatch("BackwardCore", "parameters, inputs, tape, outputGradients, finalStateGradients, parameterGradients, inputGradients, initialStateGradients", type);
            _w.Close();
            _w.Line();
        }

        _w.Line("// Backpropagation through time: the steps in reverse; in each, the passes in reverse, each");
        _w.Line("// followed by the products that fed it (adjoint of an operand = stacked weightsᵀ * adjoint of the");
        _w.Line("// products); then the weight gradients as products over all steps at once.");
        _w.Open($"private void BackwardCore<T, TV>(global::System.ReadOnlySpan<T> parameters, global::System.ReadOnlySpan<T> inputs, global::RnnGen.CellTape<T> tape, global::System.ReadOnlySpan<T> outputGradients, global::System.ReadOnlySpan<T> finalStateGradients, global::System.Span<T> parameterGradients, global::System.Span<T> inputGradients, global::System.Span<T> initialStateGradients) {Constraints}");
        _w.Line("int steps = tape.Steps, batch = tape.Batch;");
        _w.Line($"{Kernels}.CellSupport.CheckBackward(\"{_cell.TypeName}\", ParameterCount, {States}, __input, __hidden, steps, batch, parameters.Length, inputs.Length, outputGradients.Length, finalStateGradients.Length, parameterGradients.Length, inputGradients.Length, initialStateGradients.Length);");
        _w.Line("int I = __input, H = __hidden, rows = steps * batch;");
        _w.Line("var f = TapeFrame(tape, parameters);");
        _w.Line("var scratch = __backwardScratch as global::RnnGen.CellTape<T> ?? new global::RnnGen.CellTape<T>();");
        _w.Line("__backwardScratch = scratch;");
        _w.Line("AdjointFrame(ref f, scratch, 0);");
        foreach (var g in _plan.Groups.Where(g => _plan.GroupNeedsZero[g.Index]))
            _w.Line($"f.d{g.Name}.Clear(); // several passes add to it");
        for (int k = 0; k < States; k++)
        {
            _w.Line($"if (finalStateGradients.IsEmpty) f.dNext_{StateName(k)}.Clear();");
            _w.Line($"else finalStateGradients.Slice({k} * batch * H, batch * H).CopyTo(f.dNext_{StateName(k)});");
        }
        int biases = BiasParameters.Count();
        if (biases > 0)
            _w.Line($"var biasGradients = global::System.MemoryExtensions.AsSpan(scratch.Slot({BiasScratchSlot}, 2 * {biases} * H), 0, 2 * {biases} * H);");
        if (RecurrentGroups.Any())
        {
            _w.Line("__packed = steps >= 4; // the adjoint products of every step use the same weights: pack them once");
            _w.Open("if (__packed)");
            foreach (var g in RecurrentGroups)
                for (int r = 0; r < g.Runs.Count; r++)
                    _w.Line($"{Kernels}.Gemm.Pack<T>(false, {g.Runs[r].Count} * H, H, parameters.Slice({At(Field(FirstWeight(g, g.Runs[r])))}), H, Packing<T>(ref {PackedField(g, r, false)}));");
            _w.Close();
        }
        _w.Line("int parts = " + Kernels + ".RowSplit.Parts(batch, " + StepFlops() + ");");
        if (biases > 0)
            _w.Line("biasGradients.Clear(); // both parts' rows: the passes may also share their rows between the cores");
        _w.Open("if (parts == 2)");
        _w.Line("__tape = tape;");
        _w.Line($"var part = __backwardPart as {Kernels}.RowSplit.Body<T> ?? (__backwardPart = new {Kernels}.RowSplit.Body<T>(BackwardPart<T, TV>)) as {Kernels}.RowSplit.Body<T>;");
        _w.Line($"{Kernels}.RowSplit.Run(batch, parameters, outputGradients, part!);");
        _w.Line("__tape = null;");
        _w.Close();
        _w.Open("else");
        _w.Line("__tape = tape;");
        _w.Line($"BackwardSteps<T, TV>(f, parameters, outputGradients, 0, batch, {Kernels}.RowSplit.PassesInParallel(batch, H));");
        _w.Line("__tape = null;");
        _w.Close();
        if (biases > 0)
        {
            _w.Line("// Each part summed its rows' bias gradients apart; add them in a fixed order.");
            _w.Open("for (int part = 0; part < 2; part++)");
            int b = 0;
            foreach (int i in BiasParameters)
                _w.Line($"{Kernels}.CellSupport.AddTo(parameterGradients.Slice({At(Field(i))}, H), biasGradients.Slice((part * {biases} + {b++}) * H, H));");
            _w.Close();
        }
        _w.Line("// After an odd number of steps the adjoints of the initial states sit in the dPrev buffers.");
        _w.Open("if (!initialStateGradients.IsEmpty)");
        for (int k = 0; k < States; k++)
            _w.Line($"(steps % 2 == 0 ? f.dNext_{StateName(k)} : f.dPrev_{StateName(k)}).CopyTo(initialStateGradients.Slice({k} * batch * H));");
        _w.Close();

        _w.Line("// Weight gradients, every step at once: dW += d(products)ᵀ * operands.");
        foreach (var g in _plan.Groups)
        {
            foreach (var run in g.Runs)
            {
                string at = At(Field(FirstWeight(g, run)));
                if (g.Operand < 0)
                {
                    _w.Line($"// d{Stack(g, run)} += dXpᵀ * {_cell.InputName}");
                    _w.Line($"{Kernels}.Gemm.Multiply<T>(true, false, {run.Count} * H, I, rows, f.dXp.Slice({run.Start} * H), {g.Products.Count} * H, inputs, I, parameterGradients.Slice({at}), I, true);");
                }
                else
                {
                    _w.Line($"// d{Stack(g, run)} += d{g.Name}ᵀ * {_names[g.Operand]}");
                    _w.Line($"{Kernels}.Gemm.Multiply<T>(true, false, {run.Count} * H, H, rows, f.d{g.Name}.Slice({run.Start} * H), {g.Products.Count} * H, {OperandAllSteps(g)}, H, parameterGradients.Slice({at}), H, true);");
                }
            }
        }
        _w.Open("if (!inputGradients.IsEmpty)");
        if (InputGroup is { } input)
        {
            _w.Line($"// d{_cell.InputName} = Σ stacked input weightsᵀ * dXp");
            bool first = true;
            foreach (var run in input.Runs)
            {
                _w.Line($"{Kernels}.Gemm.Multiply<T>(false, false, rows, I, {run.Count} * H, f.dXp.Slice({run.Start} * H), {input.Products.Count} * H, parameters.Slice({At(Field(FirstWeight(input, run)))}), I, inputGradients, I, {(first ? "false" : "true")});");
                first = false;
            }
        }
        else
        {
            _w.Line("inputGradients.Slice(0, rows * I).Clear(); // the cell ignores its input");
        }
        _w.Close();
        _w.Close();
        _w.Line();

        _w.Open("private void BackwardPart<T, TV>(int part, int b0, int b1, global::System.ReadOnlySpan<T> parameters, global::System.ReadOnlySpan<T> outputGradients) " + Constraints);
        _w.Line("var tape = (global::RnnGen.CellTape<T>)__tape!;");
        _w.Line("var f = TapeFrame(tape, parameters);");
        _w.Line("AdjointFrame(ref f, (global::RnnGen.CellTape<T>)__backwardScratch!, part);");
        _w.Line("BackwardSteps<T, TV>(f, parameters, outputGradients, b0, b1, false);");
        _w.Close();
        _w.Line();

        _w.Line("// Every step for rows [b0, b1), last to first.");
        _w.Line(HotPath);
        _w.Open($"private void BackwardSteps<T, TV>(Frame<T> f, global::System.ReadOnlySpan<T> parameters, global::System.ReadOnlySpan<T> outputGradients, int b0, int b1, bool passesInParallel) {Constraints}");
        _w.Line("int H = f.Hidden, batch = f.Batch, steps = f.Steps, n = b1 - b0;");
        _w.Open("for (int t = steps - 1; t >= 0; t--)");
        _w.Line("f.Step = t;");
        _w.Line($"{Kernels}.CellSupport.AddTo(f.dNext_{StateName(0)}.Slice(b0 * H, n * H), outputGradients.Slice((t * batch + b0) * H, n * H)); // the output of step t is {StateName(0)}'");
        for (int k = 0; k < States; k++) _w.Line($"f.dPrev_{StateName(k)}.Slice(b0 * H, n * H).Clear();");
        foreach (int id in SlotNodes) _w.Line($"f.{Slot(id)}.Slice(b0 * H, n * H).Clear();");

        int maxLevel = _plan.Level.Count == 0 ? 0 : _plan.Level.Max();
        for (int level = maxLevel; level >= 0; level--)
        {
            int p = _plan.Passes.ToList().FindIndex(x => x.Level == level);
            if (p >= 0)
            {
                _w.Open("if (passesInParallel)");
                _w.Line("__step = t;");
                _w.Line($"{Kernels}.RowSplit.Run(batch, parameters, outputGradients, __backwardPass{p} as {Kernels}.RowSplit.Body<T> ?? ({Kernels}.RowSplit.Body<T>)(__backwardPass{p} = new {Kernels}.RowSplit.Body<T>(BackwardPass{p}Part<T, TV>)));");
                _w.Close();
                _w.Line($"else BackwardPass{p}Rows<T, TV>(ref f, b0, b1);");
            }
            foreach (var g in RecurrentGroups.Where(g => g.Level == level))
            {
                var operand = _nodes[g.Operand];
                string target = operand.Kind == NodeKind.State ? $"f.dPrev_{StateName(operand.StateIndex)}" : $"f.{Slot(g.Operand)}";
                for (int r = 0; r < g.Runs.Count; r++)
                {
                    var run = g.Runs[r];
                    string a = $"f.d{g.Name}.Slice((t * batch + b0) * {g.Products.Count} * H + {run.Start} * H)";
                    _w.Line($"// d{_names[g.Operand]} += {Stack(g, run)}ᵀ * d{g.Name}[t]");
                    _w.Line($"if (__packed) {Kernels}.Gemm.Multiply<T>(n, {a}, {g.Products.Count} * H, ({Kernels}.PackedMatrix<T>){PackedField(g, r, false)}!, {target}.Slice(b0 * H, n * H), H, true);");
                    _w.Line($"else {Kernels}.Gemm.Multiply<T>(false, false, n, H, {run.Count} * H, {a}, {g.Products.Count} * H, parameters.Slice({At(Field(FirstWeight(g, run)))}), H, {target}.Slice(b0 * H, n * H), H, true);");
                }
            }
        }
        for (int k = 0; k < States; k++)
        {
            string s = StateName(k);
            _w.Line($"var swap{k} = f.dNext_{s}; f.dNext_{s} = f.dPrev_{s}; f.dPrev_{s} = swap{k};");
        }
        _w.Close();
        _w.Close();
        _w.Line();

        for (int p = 0; p < _plan.Passes.Count; p++)
        {
            var pass = _plan.Passes[p];
            _w.Open($"private void BackwardPass{p}Part<T, TV>(int part, int b0, int b1, global::System.ReadOnlySpan<T> parameters, global::System.ReadOnlySpan<T> outputGradients) {Constraints}");
            _w.Line("var f = TapeFrame((global::RnnGen.CellTape<T>)__tape!, parameters);");
            _w.Line("AdjointFrame(ref f, (global::RnnGen.CellTape<T>)__backwardScratch!, part);");
            _w.Line("f.Step = __step;");
            _w.Open("if ((f.Steps - 1 - f.Step) % 2 == 1)");
            _w.Line("// The step loop has swapped the state adjoints an odd number of times by now.");
            for (int k = 0; k < States; k++)
            {
                string st = StateName(k);
                _w.Line($"var swap{k} = f.dNext_{st}; f.dNext_{st} = f.dPrev_{st}; f.dPrev_{st} = swap{k};");
            }
            _w.Close();
            _w.Line($"BackwardPass{p}Rows<T, TV>(ref f, b0, b1);");
            _w.Close();
            _w.Line();
            _w.Line($"// The adjoints of pass {p} of step f.Step for rows [b0, b1).");
            _w.Open($"private static void BackwardPass{p}Rows<T, TV>(scoped ref Frame<T> f, int b0, int b1) {Constraints}");
            _w.Line("int H = f.Hidden, batch = f.Batch, t = f.Step, vectorEnd = H - H % TV.Count;");
            _w.Open("for (int b = b0; b < b1; b++)");
            for (int s = pass.Segments.Count - 1; s >= 0; s--)
            {
                if (s + 1 < pass.Segments.Count)
                {
                    foreach (int norm in pass.Segments[s + 1].Norms)
                    {
                        var n = _nodes[norm];
                        string y = _names[norm];
                        _w.Line($"{Kernels}.RowNorm.BackwardSums<T>(f.{Slot(norm)}.Slice(b * H, H), f.{Field(n.Param)}, f.{Saved(n.A)}.Slice((t * batch + b) * H, H), f.Mean_{y}[t * batch + b], f.Rstd_{y}[t * batch + b], out f.M1_{y}, out f.M2_{y});");
                    }
                }
                _w.Line($"BackwardPass{p}Segment{s}<T, TV>(ref f, b, 0, vectorEnd);");
                _w.Line($"BackwardPass{p}Segment{s}<T, {Kernels}.Scalar<T>>(ref f, b, vectorEnd, H);");
            }
            _w.Close();
            _w.Close();
            _w.Line();
        }

        for (int p = 0; p < _plan.Passes.Count; p++)
            foreach (var segment in _plan.Passes[p].Segments)
                EmitBackwardSegment(p, segment);
    }

    /// <summary>The scratch slot of the per-part bias gradients: after the adjoint buffers.</summary>
    private int BiasScratchSlot => _plan.Groups.Count + 2 * States + SlotNodes.Count();

    private void EmitBackwardSegment(int p, Segment segment)
    {
        _w.Line($"// Adjoints of pass {p}, segment {segment.Index}, in reverse order of the step's math.");
        _w.Line(HotPath);
        _w.Open($"private static void BackwardPass{p}Segment{segment.Index}<T, TV>(scoped ref Frame<T> _f, int _b, int _start, int _end) {Constraints}");
        var body = new LoopBody(this, p, segment.Index, backward: true);
        body.Add("// The values, recomputed from what the forward pass saved:");
        foreach (int id in segment.Nodes)
            body.Add($"var {_names[id]} = {body.Expression(id)};");

        body.Add("// Their adjoints:");
        foreach (int id in segment.Nodes)
            body.Add($"var d_{_names[id]} = {body.AdjointSeed(id)};");

        var leafTargets = new List<int>();
        // LayerNorm's contribution to its input is made in the input's own segment (see AdjointSeed).
        var contributions = _plan.Contributions.Where(c => segment.Nodes.Contains(c.From) && c.Term.Kind != TermKind.NormInput).ToList();
        foreach (int id in segment.Nodes.Reverse())
        {
            var node = _nodes[id];
            if (node.Kind == NodeKind.LayerNorm)
                body.Add($"TV.Store(_f.{Slot(id)}, _b * _H + _j, d_{_names[id]}); // read by the segment before, with its row means");
            var mine = contributions.Where(c => c.From == id).ToList();
            if (mine.Count == 0) continue;
            body.Add($"// {Label(id)} = {ExpressionText.Of(node, _cell)}");
            foreach (var c in mine)
            {
                string term = body.Term(c.Term, id);
                if (c.ToParam >= 0)
                {
                    body.Add($"TV.AddTo(_f.Grad_{Field(c.ToParam)}, _j, {term});");
                    continue;
                }
                var target = _nodes[c.ToNode];
                if (target.IsElementwise && body.IsLocal(c.ToNode))
                {
                    body.Add($"d_{_names[c.ToNode]} += {term};");
                }
                else if (target.IsElementwise)
                {
                    body.Add($"TV.AddTo(_f.{Slot(c.ToNode)}, _b * _H + _j, {term});");
                }
                else
                {
                    if (!leafTargets.Contains(c.ToNode))
                    {
                        leafTargets.Add(c.ToNode);
                        body.AddLeafAdjoint($"var d_{_names[c.ToNode]} = TV.Zero;");
                    }
                    body.Add($"d_{_names[c.ToNode]} += {term};");
                }
            }
        }

        foreach (int leaf in leafTargets)
        {
            var n = _nodes[leaf];
            string d = "d_" + _names[leaf];
            switch (n.Kind)
            {
                case NodeKind.State:
                    body.Add($"TV.AddTo(_f.dPrev_{StateName(n.StateIndex)}, _b * _H + _j, {d});");
                    break;
                case NodeKind.Bias:
                    body.Add($"TV.AddTo(_f.Grad_{Field(n.Param)}, _j, {d});");
                    break;
                case NodeKind.MatVec:
                    var g = _plan.Groups[_plan.GroupOf[leaf]];
                    string index = $"{body.GroupRow(g)} + {_plan.BlockOf[leaf]} * _H + _j";
                    body.Add(_plan.GroupNeedsZero[g.Index]
                        ? $"TV.AddTo(_f.d{g.Name}, {index}, {d});"
                        : $"TV.Store(_f.d{g.Name}, {index}, {d});");
                    break;
            }
        }
        body.Write(_w);
        _w.Close();
        _w.Line();
    }

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
            if (_backward || n.Name is not null || n.Kind is NodeKind.Output or NodeKind.LayerNorm || _e._plan.Saved[id]) return false;
            var consumers = _e._nodes.Where(c => c.A == id || c.B == id).ToList();
            return consumers.Count == 1 && consumers[0].A != consumers[0].B && consumers[0].Kind != NodeKind.MatVec && IsLocal(consumers[0].Id);
        }

        public string GroupRow(ProductGroup g)
        {
            string name = "_at" + g.Name;
            _prologue.Add($"int {name} = _row * {g.Products.Count} * _H; // row (t, b) of {g.Name}");
            return name;
        }

        /// <summary>The value of a node as a C# expression, loading it first if it lives in a buffer.</summary>
        public string Value(int id)
        {
            var n = _e._nodes[id];
            if (n.Kind == NodeKind.Constant) return $"TV.Constant({ExpressionText.Number(n.Value)})";
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
            string A() => Value(n.A);
            string B() => Value(n.B);
            switch (n.Kind)
            {
                case NodeKind.Add: return $"{A()} + {B()}";
                case NodeKind.Subtract: return $"{A()} - {B()}";
                case NodeKind.Multiply: return $"{A()} * {B()}";
                case NodeKind.Negate: return $"-{A()}";
                case NodeKind.Sigmoid: return $"TV.Sigmoid({Strip(A())})";
                case NodeKind.Tanh: return $"TV.Tanh({Strip(A())})";
                case NodeKind.Relu: return $"TV.Relu({Strip(A())})";
                case NodeKind.Exp: return $"TV.Exp({Strip(A())})";
                case NodeKind.Identity:
                case NodeKind.Output: return Strip(A());
                case NodeKind.LayerNorm:
                {
                    string y = _e._names[id];
                    _prologue.Add($"var _mean_{y} = TV.Splat(_f.Mean_{y}[_row]);");
                    _prologue.Add($"var _rstd_{y} = TV.Splat(_f.Rstd_{y}[_row]);");
                    return $"({A()} - _mean_{y}) * _rstd_{y} * {ParamValue(n.Param)} + {ParamValue(n.Param2)}";
                }
                default:
                    return Value(id);
            }
        }

        private static string Strip(string text) => text.Length > 1 && text[0] == '(' && text[text.Length - 1] == ')' && Balanced(text) ? text.Substring(1, text.Length - 2) : text;

        private static bool Balanced(string text)
        {
            int depth = 0;
            for (int i = 0; i < text.Length; i++)
            {
                if (text[i] == '(') depth++;
                else if (text[i] == ')') depth--;
                if (depth == 0 && i < text.Length - 1) return false;
            }
            return true;
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
            foreach (var norm in _e._nodes.Where(x => x.Kind == NodeKind.LayerNorm && x.A == id))
            {
                // LayerNorm's input adjoint: rstd * (dy * gain - mean(dy * gain) - xhat * mean(dy * gain * xhat)).
                string y = _e._names[norm.Id];
                _prologue.Add($"var _mean_{y} = TV.Splat(_f.Mean_{y}[_row]);");
                _prologue.Add($"var _rstd_{y} = TV.Splat(_f.Rstd_{y}[_row]);");
                _prologue.Add($"var _m1_{y} = TV.Splat(_f.M1_{y});");
                _prologue.Add($"var _m2_{y} = TV.Splat(_f.M2_{y});");
                string gain = ParamValue(norm.Param);
                parts.Add($"_rstd_{y} * (TV.Load(_f.{_e.Slot(norm.Id)}, _b * _H + _j) * {gain} - _m1_{y} - ({_e._names[id]} - _mean_{y}) * _rstd_{y} * _m2_{y})");
            }
            return parts.Count == 0 ? "TV.Zero" : string.Join(" + ", parts);
        }

        public string Term(Term term, int self)
        {
            switch (term.Kind)
            {
                case TermKind.Adjoint: return "d_" + _e._names[self];
                case TermKind.Value: return Value(term.Id);
                case TermKind.Constant: return $"TV.Constant({ExpressionText.Number(term.Value)})";
                case TermKind.Multiply: return $"{Wrap(term.A!, self)} * {Wrap(term.B!, self)}";
                case TermKind.Subtract: return $"{Term(term.A!, self)} - {Wrap(term.B!, self)}";
                case TermKind.Negate: return $"-{Wrap(term.A!, self)}";
                case TermKind.Positive: return $"TV.Positive({Value(term.Id)})";
                case TermKind.NormHat:
                {
                    var norm = _e._nodes[term.Id];
                    string y = _e._names[term.Id];
                    _prologue.Add($"var _mean_{y} = TV.Splat(_f.Mean_{y}[_row]);");
                    _prologue.Add($"var _rstd_{y} = TV.Splat(_f.Rstd_{y}[_row]);");
                    return $"({Value(norm.A)} - _mean_{y}) * _rstd_{y}";
                }
                default:
                    throw new System.InvalidOperationException("term " + term.Kind + " is applied where its operand lives");
            }
        }

        private string Wrap(Term term, int self) =>
            term.Kind is TermKind.Subtract ? "(" + Term(term, self) + ")" : Term(term, self);

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
