namespace RnnGen.Generators.Emit;

/// <summary>What a rendered term refers to, which only the loop being written knows: where values and adjoints live.</summary>
internal interface ITermContext
{
    /// <summary>The forward value of a node (a name, a load, or an inlined expression in parentheses).</summary>
    string Value(int node);
    /// <summary>The adjoint of the node whose contribution is being rendered.</summary>
    string Adjoint();
    /// <summary>A parameter read per column, like a bias.</summary>
    string Parameter(int parameter);
    /// <summary>A row statistic of a node, as a vector of that scalar.</summary>
    string Statistic(int node, string name);
}

/// <summary>An <see cref="ITermContext"/> made of the loop's own lookups.</summary>
internal sealed class TermContext : ITermContext
{
    private readonly System.Func<int, string> _value, _parameter;
    private readonly System.Func<string> _adjoint;
    private readonly System.Func<int, string, string> _statistic;

    public TermContext(System.Func<int, string> value, System.Func<string> adjoint, System.Func<int, string> parameter, System.Func<int, string, string> statistic)
    {
        _value = value;
        _adjoint = adjoint;
        _parameter = parameter;
        _statistic = statistic;
    }

    public string Value(int node) => _value(node);
    public string Adjoint() => _adjoint();
    public string Parameter(int parameter) => _parameter(parameter);
    public string Statistic(int node, string name) => _statistic(node, name);
}
