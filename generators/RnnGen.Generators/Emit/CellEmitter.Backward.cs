using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Differentiation;
using RnnGen.Generators.Model;
using RnnGen.Generators.Planning;

namespace RnnGen.Generators.Emit;

internal sealed partial class CellEmitter
{
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
        _w.Line("AdjointFrame(ref f, scratch);");
        foreach (var g in _plan.Groups.Where(g => _plan.GroupNeedsZero[g.Index]))
            _w.Line($"f.d{g.Name}.Clear(); // several passes add to it");
        for (int k = 0; k < States; k++)
        {
            _w.Line($"if (finalStateGradients.IsEmpty) f.dNext_{StateName(k)}.Clear();");
            _w.Line($"else finalStateGradients.Slice({k} * batch * H, batch * H).CopyTo(f.dNext_{StateName(k)});");
        }
        int biases = BiasParameters.Count();
        if (biases > 0)
        {
            _w.Line($"int blocks = {Kernels}.RowSplit.Blocks(batch);");
            _w.Line($"var biasGradients = global::System.MemoryExtensions.AsSpan(scratch.Slot({BiasScratchSlot}, blocks * {biases} * H), 0, blocks * {biases} * H);");
        }
        if (RecurrentGroups.Any())
        {
            _w.Line("__packed = steps >= 4; // the adjoint products of every step use the same weights: pack them once");
            _w.Open("if (__packed)");
            foreach (var g in RecurrentGroups)
                for (int r = 0; r < g.Runs.Count; r++)
                    _w.Line($"{Kernels}.Gemm.Pack<T>(false, {g.Runs[r].Count} * H, H, parameters.Slice({At(Field(FirstWeight(g, g.Runs[r])))}), H, Packing<T>(ref {PackedField(g, r, false)}));");
            _w.Close();
        }
        _w.Line($"int parts = {Kernels}.RowSplit.Parts(batch, {StepFlops()});");
        if (biases > 0)
            _w.Line("biasGradients.Clear(); // every block's sums: each block of rows adds its own, whichever thread runs it");
        _w.Line("__tape = tape;");
        _w.Line($"if (parts > 1) {Kernels}.RowSplit.Run(parts, batch, parameters, outputGradients, __backwardPart as {Kernels}.RowSplit.Body<T> ?? ({Kernels}.RowSplit.Body<T>)(__backwardPart = new {Kernels}.RowSplit.Body<T>(BackwardPart<T, TV>)));");
        _w.Line($"else BackwardSteps<T, TV>(f, parameters, outputGradients, 0, batch, {Kernels}.RowSplit.PassParts(batch, H));");
        _w.Line("__tape = null;");
        if (biases > 0)
        {
            _w.Line("// The blocks' sums, added in block order: the same order on any number of threads.");
            _w.Open("for (int block = 0; block < blocks; block++)");
            int b = 0;
            foreach (int i in BiasParameters)
                _w.Line($"{Kernels}.CellSupport.AddTo(parameterGradients.Slice({At(Field(i))}, H), biasGradients.Slice(({b++} * blocks + block) * H, H));");
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
        _w.Line("AdjointFrame(ref f, (global::RnnGen.CellTape<T>)__backwardScratch!);");
        _w.Line("BackwardSteps<T, TV>(f, parameters, outputGradients, b0, b1, 1);");
        _w.Close();
        _w.Line();

        _w.Line("// Every step for rows [b0, b1), last to first.");
        _w.Line(HotPath);
        _w.Open($"private void BackwardSteps<T, TV>(Frame<T> f, global::System.ReadOnlySpan<T> parameters, global::System.ReadOnlySpan<T> outputGradients, int b0, int b1, int passParts) {Constraints}");
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
                _w.Open("if (passParts > 1)");
                _w.Line("__step = t;");
                _w.Line($"{Kernels}.RowSplit.Run(passParts, batch, parameters, outputGradients, __backwardPass{p} as {Kernels}.RowSplit.Body<T> ?? ({Kernels}.RowSplit.Body<T>)(__backwardPass{p} = new {Kernels}.RowSplit.Body<T>(BackwardPass{p}Part<T, TV>)));");
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
            _w.Line("AdjointFrame(ref f, (global::RnnGen.CellTape<T>)__backwardScratch!);");
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
            if (biases > 0)
                _w.Line($"f.AtGrad = {Kernels}.RowSplit.BlockOf(b, batch) * H; // each block of rows sums its own bias gradients");
            for (int s = pass.Segments.Count - 1; s >= 0; s--)
            {
                if (s + 1 < pass.Segments.Count)
                {
                    foreach (int norm in pass.Segments[s + 1].Norms)
                    {
                        var n = _nodes[norm];
                        string y = _names[norm];
                        _w.Line(OperationText.RowKernel(Operations.OperationTable.Of(n.Kind).BackwardKernel!, n, y, "t * batch + b",
                            $"f.{Saved(n.A)}.Slice((t * batch + b) * H, H)", $"f.{Slot(norm)}.Slice(b * H, H)", p => $"f.{Field(p)}"));
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

    /// <summary>The scratch slot of the per-block bias gradients: after the adjoint buffers.</summary>
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
        // A contribution that reads means of its node's adjoint row is made in its operand's own segment (see AdjointSeed).
        var contributions = _plan.Contributions.Where(c => segment.Nodes.Contains(c.From) && !Operations.OperationTable.ReadsAdjointRow(c.Term, _nodes)).ToList();
        foreach (int id in segment.Nodes.Reverse())
        {
            var node = _nodes[id];
            if (Operations.OperationTable.Of(node.Kind).IsRowwise)
                body.Add($"TV.Store(_f.{Slot(id)}, _b * _H + _j, d_{_names[id]}); // read by the segment before, with its row means");
            var mine = contributions.Where(c => c.From == id).ToList();
            if (mine.Count == 0) continue;
            body.Add($"// {Label(id)} = {ExpressionText.Of(node, _cell)}");
            foreach (var c in mine)
            {
                string term = body.Term(c.Term, id);
                if (c.ToParam >= 0)
                {
                    body.Add($"TV.AddTo(_f.Grad_{Field(c.ToParam)}, {body.GradientRow()} + _j, {term});");
                    continue;
                }
                var target = _nodes[c.ToNode];
                if (target.IsElementwise && body.IsLocal(c.ToNode))
                {
                    body.Add(Accumulate($"d_{_names[c.ToNode]}", term));
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
                    body.Add(Accumulate($"d_{_names[c.ToNode]}", term));
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
                    body.Add($"TV.AddTo(_f.Grad_{Field(n.Param)}, {body.GradientRow()} + _j, {d});");
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

    /// <summary>
    /// <c>target += term</c>, written <c>target -= x</c> when the term is a negated name (<c>-x</c>), as one would
    /// write the math by hand.
    /// </summary>
    private static string Accumulate(string target, string term) =>
        term.Length > 1 && term[0] == '-' && IsName(term.Substring(1)) ? $"{target} -= {term.Substring(1)};" : $"{target} += {term};";

    private static bool IsName(string text) =>
        (char.IsLetter(text[0]) || text[0] == '_') && text.All(ch => char.IsLetterOrDigit(ch) || ch == '_');
}
