using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Model;
using RnnGen.Generators.Operations;
using RnnGen.Generators.Planning;

namespace RnnGen.Generators.Emit;

internal sealed partial class CellEmitter
{
    // ---- Backward: the adjoints of one segment ------------------------------------------------------

    private void EmitBackwardSegment(int p, Segment segment, bool last)
    {
        _w.Line($"// The adjoints of pass {p}, segment {segment.Index}, in reverse order of the step's math.");
        _w.Line(HotPath);
        _w.Open($"private static void BackwardPass{p}Segment{segment.Index}<T, TV>(scoped ref {FrameType} _f, int _b0, int _b1, int _j0, int _j1) {Constraints}");
        var body = new LoopBody(this, p, segment.Index, backward: true);
        body.Add("// The values, recomputed from what the forward pass saved:");
        foreach (int id in segment.Nodes)
            body.Add($"var {_names[id]} = {body.Expression(id)};");

        // An adjoint is declared where it gets its first contribution (var d_v31 = d_hNext;), or here when it
        // arrives from a later step or pass.
        var declared = new HashSet<int>();
        var seeds = segment.Nodes.Select(id => (id, seed: body.AdjointSeed(id))).Where(x => x.seed != "TV.Zero").ToList();
        if (seeds.Count > 0) body.Add("// The adjoints that arrive from later steps and passes:");
        foreach (var (id, seed) in seeds)
        {
            body.Add($"var d_{_names[id]} = {seed};");
            declared.Add(id);
        }
        void Declare(int id)
        {
            if (declared.Add(id)) body.Add($"var d_{_names[id]} = TV.Zero; // nothing depends on it");
        }
        void Contribute(int id, string term)
        {
            if (declared.Add(id)) body.Add($"var d_{_names[id]} = {term};");
            else body.Add(Accumulate($"d_{_names[id]}", term));
        }

        var leafTargets = new List<int>();
        // A contribution that reads means of its node's adjoint row is made in its operand's own segment (see AdjointSeed).
        var contributions = _plan.Contributions.Where(c => segment.Nodes.Contains(c.From) && !OperationTable.ReadsAdjointRow(c.Term, _nodes)).ToList();
        foreach (int id in segment.Nodes.Reverse())
        {
            var node = _nodes[id];
            var mine = contributions.Where(c => c.From == id).ToList();
            if (OperationTable.Of(node.Kind).IsRowwise)
            {
                Declare(id);
                body.Add($"TV.Store({body.SlotBuffer(id)}, _b * _H + _j, d_{_names[id]}); // read by the segment before, with its row means");
            }
            if (mine.Count == 0) continue;
            Declare(id);
            if (node.Kind != NodeKind.Output) body.Add($"// {Label(id)} = {OperandText(node)}");
            foreach (var c in mine)
            {
                string term = body.Term(c.Term, id);
                if (c.ToParam >= 0)
                {
                    body.Add($"TV.AddTo({body.GradientBuffer(c.ToParam)}, {body.GradientRow()} + _j, {term});");
                    continue;
                }
                var target = _nodes[c.ToNode];
                if (target.IsElementwise && body.IsLocal(c.ToNode))
                {
                    Contribute(c.ToNode, term);
                }
                else if (target.IsElementwise)
                {
                    body.Add($"TV.AddTo({body.SlotBuffer(c.ToNode)}, _b * _H + _j, {term});");
                }
                else
                {
                    if (!leafTargets.Contains(c.ToNode)) leafTargets.Add(c.ToNode);
                    Contribute(c.ToNode, term);
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
                    body.Add($"TV.AddTo({body.PrevAdjointBuffer(n.StateIndex)}, _b * _H + _j, {d});");
                    break;
                case NodeKind.Input: // the input read elementwise; the driver adds this to dx
                    body.Add($"TV.AddTo({body.InputAdjointBuffer()}, _row * _H + _j, {d});");
                    break;
                case NodeKind.Bias:
                    body.Add($"TV.AddTo({body.GradientBuffer(n.Param)}, {body.GradientRow()} + _j, {d});");
                    break;
                case NodeKind.MatVec:
                    var g = _plan.Groups[_plan.GroupOf[leaf]];
                    string index = $"{body.GroupRow(g)} + {_plan.BlockOf[leaf]} * _H + _j";
                    body.Add(_plan.GroupNeedsZero[g.Index]
                        ? $"TV.AddTo({body.ProductAdjointBuffer(g)}, {index}, {d});"
                        : $"TV.Store({body.ProductAdjointBuffer(g)}, {index}, {d});");
                    break;
            }
        }
        body.Write(_w);
        _w.Close();
        if (!last) _w.Line();
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
