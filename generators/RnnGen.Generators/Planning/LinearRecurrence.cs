using System.Collections.Generic;
using System.Linq;
using RnnGen.Generators.Differentiation;
using RnnGen.Generators.Model;
using RnnGen.Generators.Operations;

namespace RnnGen.Generators.Planning;

/// <summary>
/// Decides whether a cell runs as linear scans instead of a step loop (docs/ARCHITECTURE.md, "The linear-recurrence
/// path"). The rule: every state is a scan state, i.e. its next value is affine in its own previous value,
/// <c>a ⊙ s + b</c>, where neither <c>a</c> nor <c>b</c> reads any state, or an output state, whose next value reads
/// states only through the scan states' new values and which no update reads; and the step's only products multiply
/// the input, with no LayerNorm, so that the coefficients of every step come out of one fused pass over all rows at
/// once. A state whose next value is one of the input's products (<c>W * Prev(x)</c>'s carried <c>W * x</c>) is a shift:
/// its value in step t is that product of step t - 1, known before any scan, so a and b may read it. Anything else
/// keeps the step loop, and the choice says which rule failed where.
/// </summary>
internal static class LinearRecurrence
{
    public static RecurrenceChoice Choose(CellModel cell, IReadOnlyList<ProductGroup> groups, IReadOnlyList<Pass> passes)
    {
        if (!cell.LinearPath) return RecurrenceChoice.StepLoop("[RecurrentCell(LinearPath = false)] asks for it");
        // The linear plan's passes run over all rows of all steps and read no copy of the inputs.
        if (cell.InputElementwise is { } where) return RecurrenceChoice.StepLoop($"the step reads its input elementwise ({where})");
        if (cell.StateNames.Count > 64) return RecurrenceChoice.StepLoop("the analysis follows at most 64 states");
        var nodes = cell.Nodes;
        // Per state, its next value: the operand of its Output node.
        var next = new int[cell.StateNames.Count];
        foreach (var n in nodes)
            if (n.Kind == NodeKind.Output) next[n.StateIndex] = n.A;
        // Shifted products: a state whose next value is a product of the input alone (Prev's W * x) is a sequence known
        // before any scan, the product of the step before, so the other states' coefficients may read it.
        var input = groups.FirstOrDefault(g => g.Operand < 0);
        var shifts = new List<ShiftState>();
        ulong shifted = 0;
        if (input is not null)
            for (int k = 1; k < cell.StateNames.Count; k++) // state 0 is the output, which the loss reads: never a shift
            {
                int value = Unwrapped(nodes, next[k]);
                int block = input.Products.ToList().IndexOf(value);
                if (block < 0) continue;
                shifts.Add(new ShiftState(k, block));
                shifted |= 1UL << k;
            }
        // Per node, the states it reads (bit k for state k), through any path; a shifted product counts as no state.
        var reads = new ulong[nodes.Count];
        foreach (var n in nodes)
            reads[n.Id] = (n.Kind == NodeKind.State ? (1UL << n.StateIndex) & ~shifted : 0) | (n.A >= 0 ? reads[n.A] : 0) | (n.B >= 0 ? reads[n.B] : 0);

        var scans = new List<ScanState>();
        var failures = new Dictionary<int, string>();
        for (int k = 0; k < cell.StateNames.Count; k++)
        {
            if ((shifted & (1UL << k)) != 0) continue;
            var split = new AffineSplit(cell, k, reads);
            var (a, b) = split.Of(next[k]);
            if (split.Failure is { } failure)
            {
                failures[k] = failure;
                continue;
            }
            var coefficient = a ?? Term.Const(0);
            var offset = b ?? Term.Const(0);
            scans.Add(new ScanState(k, coefficient, offset, Text(coefficient, cell, 0), Text(offset, cell, 0)));
        }

        // A state that is not a scan may still be an output state: its next value reads the scans' new values and
        // nothing else of any state (QRNN's h = o ⊙ c'), and no update reads it. It is computed after the scans.
        var outputs = new List<int>();
        if (failures.Count > 0 && scans.Count > 0)
        {
            var newValues = new HashSet<int>(scans.Select(scan => next[scan.State]));
            // Per node, the states it reads other than through a scan's new value.
            var readsBefore = new ulong[nodes.Count];
            foreach (var n in nodes)
                readsBefore[n.Id] = newValues.Contains(n.Id) ? 0
                    : (n.Kind == NodeKind.State ? (1UL << n.StateIndex) & ~shifted : 0) | (n.A >= 0 ? readsBefore[n.A] : 0) | (n.B >= 0 ? readsBefore[n.B] : 0);
            ulong readByUpdates = nodes.Where(n => n.Kind == NodeKind.Output).Aggregate(0UL, (m, n) => m | reads[n.A]);
            foreach (int k in failures.Keys.ToList())
            {
                int value = next[k];
                if (readsBefore[value] == 0 && (readByUpdates & (1UL << k)) == 0)
                {
                    outputs.Add(k);
                    failures.Remove(k);
                }
            }
        }
        if (failures.Count > 0) return RecurrenceChoice.StepLoop(failures.OrderBy(f => f.Key).First().Value);
        var recurrent = groups.FirstOrDefault(g => g.Operand >= 0);
        if (recurrent is not null)
            return RecurrenceChoice.StepLoop($"the step multiplies a value it computes by a weight ({ExpressionText.Of(nodes[recurrent.Products[0]], cell)}), a product in every step");
        if (passes.Count != 1 || passes[0].Segments.Count != 1)
            return RecurrenceChoice.StepLoop("a LayerNorm's row statistics split the step's fused pass");
        string reason = outputs.Count == 0 && shifts.Count == 0
            ? "every state's next value is a ⊙ state + b with a and b free of states, and the only products multiply the input"
            : $"the next value of {string.Join(" and ", scans.Select(x => cell.StateNames[x.State]))} is a ⊙ state + b with a and b free of states"
              + (shifts.Count == 0 ? "" : $" (the previous step's {string.Join(" and ", shifts.Select(x => cell.StateNames[x.State]))} are known before the scans)")
              + (outputs.Count == 0 ? "" : $", {string.Join(" and ", outputs.Select(k => cell.StateNames[k]))} reads only their new values and no update reads it")
              + ", and the only products multiply the input";
        return new RecurrenceChoice(true, reason, scans.ToEquatableArray()) { Outputs = outputs.ToEquatableArray(), Shifts = shifts.ToEquatableArray() };
    }

    /// <summary>A value through any identities: the node that computes it.</summary>
    private static int Unwrapped(IReadOnlyList<Node> nodes, int id)
    {
        while (nodes[id].Kind == NodeKind.Identity) id = nodes[id].A;
        return id;
    }

    /// <summary>
    /// Splits a value into a ⊙ s_k + b, with a and b terms over nodes that read no state (null for zero), or says why
    /// it cannot (<see cref="Failure"/>, the first offending place from the top of the expression).
    /// </summary>
    private sealed class AffineSplit(CellModel cell, int state, ulong[] reads)
    {
        private readonly Dictionary<int, (Term? A, Term? B)> _done = new();

        public string? Failure { get; private set; }

        private string Name => cell.StateNames[state];

        private bool ReadsState(int id) => reads[id] != 0;

        /// <summary>The state a node reads that a message should name: this scan's state if it reads it, else the first.</summary>
        private string ReadName(int id)
        {
            if ((reads[id] & (1UL << state)) != 0) return Name;
            int k = 0;
            while ((reads[id] & (1UL << k)) == 0) k++;
            return cell.StateNames[k];
        }

        public (Term? A, Term? B) Of(int id)
        {
            if (Failure is not null) return (null, null);
            if (!ReadsState(id)) return (null, Term.Val(id));
            if (_done.TryGetValue(id, out var known)) return known;
            var split = Split(cell.Nodes[id]);
            _done[id] = split;
            return split;
        }

        private (Term? A, Term? B) Split(Node n)
        {
            switch (n.Kind)
            {
                case NodeKind.State when n.StateIndex == state:
                    return (Term.Const(1), null);
                case NodeKind.State:
                    return Fail($"state {cell.StateNames[n.StateIndex]} is read by the update of state {Name}");
                case NodeKind.MatVec:
                    return Fail($"state {ReadName(n.Id)} goes through a product by a weight, {ExpressionText.Of(n, cell)}, in every step");
                case NodeKind.Identity:
                    return Of(n.A);
                case NodeKind.Negate:
                {
                    var (a, b) = Of(n.A);
                    return (Negated(a), Negated(b));
                }
                case NodeKind.Add:
                case NodeKind.Subtract:
                {
                    var (a1, b1) = Of(n.A);
                    var (a2, b2) = Of(n.B);
                    return n.Kind == NodeKind.Add ? (Plus(a1, a2), Plus(b1, b2)) : (Minus(a1, a2), Minus(b1, b2));
                }
                case NodeKind.Multiply when !ReadsState(n.A):
                {
                    var (a, b) = Of(n.B);
                    return (Times(Term.Val(n.A), a), Times(Term.Val(n.A), b));
                }
                case NodeKind.Multiply when !ReadsState(n.B):
                {
                    var (a, b) = Of(n.A);
                    return (Times(a, Term.Val(n.B)), Times(b, Term.Val(n.B)));
                }
                case NodeKind.Multiply:
                    return Fail($"a value that reads state {ReadName(n.A)} is multiplied by one that reads state {ReadName(n.B)}, in {ExpressionText.Of(n, cell)}");
                default:
                    return Fail($"state {ReadName(n.Id)} is read inside {OperationTable.Of(n.Kind).DslName ?? n.Kind.ToString()}, in {ExpressionText.Of(n, cell)}");
            }
        }

        private (Term?, Term?) Fail(string reason)
        {
            Failure ??= reason;
            return (null, null);
        }
    }

    // ---- Terms, kept as short as the math: zero is null, and a factor of one is dropped ----

    private static bool IsOne(Term? t) => t is { Kind: TermKind.Constant, Number: 1 };
    private static Term? Plus(Term? x, Term? y) => x is null ? y : y is null ? x : x + y;
    private static Term? Minus(Term? x, Term? y) => y is null ? x : x is null ? -y : x - y;
    private static Term? Negated(Term? x) => x is null ? null : -x;
    private static Term? Times(Term? x, Term? y) => x is null || y is null ? null : IsOne(x) ? y : IsOne(y) ? x : x * y;

    /// <summary>A term as DSL text, for the comments of the generated file.</summary>
    private static string Text(Term t, CellModel cell, int outer)
    {
        switch (t.Kind)
        {
            case TermKind.Constant:
                return ExpressionText.Number(t.Number);
            case TermKind.Value:
            {
                var node = cell.Nodes[t.Id];
                string text = ExpressionText.Of(node, cell, top: false);
                if (!node.IsElementwise || node.Name is not null) return text;
                var op = OperationTable.Of(node.Kind);
                int precedence = op.Syntax switch { Syntax.Infix => op.Precedence, Syntax.Prefix => 3, _ => 4 };
                return precedence < outer || (precedence == 3 && outer == 3) ? "(" + text + ")" : text;
            }
            default:
            {
                var op = OperationTable.Of(t.Op);
                int precedence = op.Syntax == Syntax.Prefix ? 3 : op.Precedence;
                string result = op.Syntax == Syntax.Prefix
                    ? op.DslName + Text(t.A!, cell, 3)
                    : $"{Text(t.A!, cell, precedence)} {op.DslName} {Text(t.B!, cell, precedence + (op.Associative ? 0 : 1))}";
                return precedence < outer || (precedence == 3 && outer == 3) ? "(" + result + ")" : result;
            }
        }
    }
}
