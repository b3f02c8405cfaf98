using System;
using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Differentiation;
using RnnGen.Generators.Model;

namespace RnnGen.Generators.Planning;

/// <summary>
/// The fourth stage: decides how a step runs (DESIGN §4). Products by the same operand are stacked
/// into one matrix product; products of the input are hoisted out of the recurrence; elementwise
/// nodes are grouped into fused passes by how many products deep they sit (their level), and split
/// into segments where a LayerNorm needs statistics of a whole row. A value is saved per step only
/// where a later pass, segment or product reads it; everything else stays in registers.
/// </summary>
internal static class Planner
{
    public static CellPlan Plan(CellGradient gradient)
    {
        var cell = gradient.Cell;
        var nodes = cell.Nodes;
        int count = nodes.Count;

        // 1. The flat parameter layout: declaration order, the members of a pack together.
        var tensors = new List<TensorPlan>();
        var fieldOrder = new int[cell.Parameters.Count];
        var placed = new bool[cell.Parameters.Count];
        int position = 0;
        for (int i = 0; i < cell.Parameters.Count; i++)
        {
            if (placed[i]) continue;
            var p = cell.Parameters[i];
            var members = p.Pack is null
                ? new List<int> { i }
                : Enumerable.Range(0, cell.Parameters.Count).Where(k => cell.Parameters[k].Pack == p.Pack).ToList();
            foreach (int m in members)
            {
                placed[m] = true;
                fieldOrder[m] = position++;
            }
            tensors.Add(new TensorPlan(p.Pack ?? p.Field, members.ToEquatableArray(), p.Columns));
        }

        // 2. Levels: a product of the input is available before any step math (level 0); a product of
        //    a value of level L needs that value first (level L + 1); elementwise nodes take their
        //    operands' highest level.
        var level = new int[count];
        foreach (var n in nodes)
        {
            level[n.Id] = n.Kind switch
            {
                NodeKind.Input or NodeKind.State or NodeKind.Bias or NodeKind.Constant => 0,
                NodeKind.MatVec => nodes[n.A].Kind == NodeKind.Input ? 0 : level[n.A] + 1,
                _ => Math.Max(level[n.A], n.B >= 0 ? level[n.B] : 0),
            };
        }

        //    Then each elementwise node moves as late as its consumers allow, so that, say, W * x + b is
        //    computed in the pass that uses it rather than saved by an earlier one.
        for (int id = count - 1; id >= 0; id--)
        {
            if (!nodes[id].IsElementwise) continue;
            int latest = int.MaxValue;
            foreach (var consumer in nodes.Where(c => c.A == id || c.B == id))
                latest = Math.Min(latest, consumer.Kind == NodeKind.MatVec ? level[consumer.Id] - 1 : level[consumer.Id]);
            if (latest != int.MaxValue && latest > level[id]) level[id] = latest;
        }

        // 3. Product groups, by operand; members in flat order so that stacked weights are contiguous.
        var groups = new List<ProductGroup>();
        var groupOf = Enumerable.Repeat(-1, count).ToArray();
        var blockOf = Enumerable.Repeat(-1, count).ToArray();
        var products = nodes.Where(n => n.Kind == NodeKind.MatVec).ToList();
        var operands = products.Select(n => nodes[n.A].Kind == NodeKind.Input ? -1 : n.A).Distinct()
            .OrderBy(o => o < 0 ? -1 : level[o]).ThenBy(o => o).ToList();
        foreach (int operand in operands)
        {
            var members = products.Where(n => (nodes[n.A].Kind == NodeKind.Input ? -1 : n.A) == operand)
                .OrderBy(n => fieldOrder[n.Param]).Select(n => n.Id).ToList();
            var runs = new List<Run>();
            for (int k = 0; k < members.Count; k++)
            {
                bool continues = k > 0 && fieldOrder[nodes[members[k]].Param] == fieldOrder[nodes[members[k - 1]].Param] + 1;
                if (continues) runs[runs.Count - 1] = runs[runs.Count - 1] with { Count = runs[runs.Count - 1].Count + 1 };
                else runs.Add(new Run(k, 1));
            }
            int index = groups.Count;
            for (int k = 0; k < members.Count; k++)
            {
                groupOf[members[k]] = index;
                blockOf[members[k]] = k;
            }
            groups.Add(new ProductGroup(index, operand, operand < 0 ? 0 : level[operand] + 1,
                operand < 0 ? "Xp" : "Rp", members.ToEquatableArray(), runs.ToEquatableArray()));
        }

        // 4. Passes and segments.
        var levels = nodes.Where(n => n.IsElementwise).Select(n => level[n.Id]).Distinct().OrderBy(l => l).ToList();
        var passOf = Enumerable.Repeat(-1, count).ToArray();
        var segmentOf = Enumerable.Repeat(-1, count).ToArray();
        foreach (var n in nodes.Where(n => n.IsElementwise))
        {
            passOf[n.Id] = levels.IndexOf(level[n.Id]);
            int SegmentOfOperand(int operand) => operand >= 0 && passOf[operand] == passOf[n.Id] ? segmentOf[operand] : 0;
            segmentOf[n.Id] = n.Kind == NodeKind.LayerNorm
                ? segmentOf[n.A] + 1
                : Math.Max(SegmentOfOperand(n.A), SegmentOfOperand(n.B));
        }
        var passes = new List<Pass>();
        for (int p = 0; p < levels.Count; p++)
        {
            int segments = nodes.Where(n => passOf[n.Id] == p).Max(n => segmentOf[n.Id]) + 1;
            var list = new List<Segment>();
            for (int s = 0; s < segments; s++)
            {
                var members = nodes.Where(n => passOf[n.Id] == p && segmentOf[n.Id] == s).Select(n => n.Id).ToEquatableArray();
                var norms = nodes.Where(n => passOf[n.Id] == p && segmentOf[n.Id] == s && n.Kind == NodeKind.LayerNorm).Select(n => n.Id).ToEquatableArray();
                list.Add(new Segment(p, s, members, norms));
            }
            passes.Add(new Pass(levels[p], list.ToEquatableArray()));
        }

        // 5. Storage. A value crosses a boundary when a consumer sits in another pass or segment or is a
        //    product; an adjoint crosses one when a contribution to it is made elsewhere.
        bool SamePlace(int a, int b) => passOf[a] == passOf[b] && segmentOf[a] == segmentOf[b];
        var saved = new bool[count];
        var slot = new bool[count];
        foreach (var n in nodes)
        {
            foreach (int operand in new[] { n.A, n.B })
            {
                if (operand < 0 || !nodes[operand].IsElementwise) continue;
                if (n.Kind == NodeKind.MatVec || !SamePlace(n.Id, operand))
                {
                    saved[operand] = true;
                    // A LayerNorm sends its input's adjoint from the input's own segment, so no slot is needed for it.
                    if (n.Kind != NodeKind.LayerNorm) slot[operand] = true;
                }
            }
            if (n.Kind == NodeKind.LayerNorm) slot[n.Id] = true;
        }

        // 6. A product's adjoint block is stored directly when exactly one segment writes it; otherwise
        //    the buffer is cleared first and every writer adds.
        var zero = new bool[groups.Count];
        foreach (var g in groups)
        {
            foreach (int product in g.Products)
            {
                int writers = gradient.Contributions.Where(c => c.ToNode == product)
                    .Select(c => (passOf[c.From], segmentOf[c.From])).Distinct().Count();
                if (writers != 1) zero[g.Index] = true;
            }
        }

        var names = Naming.Assign(cell, groups, groupOf);
        groups = groups.Select(g => g with { Name = g.Operand < 0 ? "Xp" : "Rp_" + names[g.Operand] }).ToList();

        return new CellPlan(cell, gradient.Contributions, tensors.ToEquatableArray(), fieldOrder.ToEquatableArray(),
            groups.ToEquatableArray(), groupOf.ToEquatableArray(), blockOf.ToEquatableArray(), passes.ToEquatableArray(),
            level.ToEquatableArray(), passOf.ToEquatableArray(), segmentOf.ToEquatableArray(), saved.ToEquatableArray(),
            slot.ToEquatableArray(), zero.ToEquatableArray(), names.ToEquatableArray())
        {
            // 7. The recurrence itself: a step loop, or linear scans when every state's update allows it.
            Recurrence = LinearRecurrence.Choose(cell, groups, passes),
        };
    }
}

/// <summary>Readable, unique C# identifiers for every value: the user's local names where there are some.</summary>
internal static class Naming
{
    public static string[] Assign(CellModel cell, List<ProductGroup> groups, int[] groupOf)
    {
        var nodes = cell.Nodes;
        var names = new string[nodes.Count];
        var taken = new HashSet<string>(StringComparer.Ordinal);
        string Unique(string wanted)
        {
            // Generated code uses a few names of its own; a user's name never starts with "__".
            if (wanted.StartsWith("_") || wanted.StartsWith("d_") || wanted is "T" or "TV") wanted = "v" + wanted;
            string name = wanted;
            for (int k = 2; !taken.Add(name); k++) name = wanted + k;
            return name;
        }
        foreach (var n in nodes)
        {
            names[n.Id] = n.Kind switch
            {
                NodeKind.Input => Unique(cell.InputName),
                NodeKind.State => Unique(cell.StateNames[n.StateIndex]),
                NodeKind.Bias => Unique(cell.Parameters[n.Param].Field),
                NodeKind.Constant => "",
                NodeKind.MatVec => Unique(cell.Parameters[n.Param].Field + "_" + names[n.A]),
                NodeKind.Output => Unique(cell.StateNames[n.StateIndex] + "Next"),
                _ => Unique(n.Name ?? "v" + n.Id),
            };
        }
        return names;
    }
}
