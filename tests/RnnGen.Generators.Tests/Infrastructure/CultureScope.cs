using System.Globalization;

namespace RnnGen.Generators.Tests.Infrastructure;

/// <summary>Sets the current culture and UI culture for the scope of a test, and restores them.</summary>
internal sealed class CultureScope : IDisposable
{
    private readonly CultureInfo _culture = CultureInfo.CurrentCulture, _uiCulture = CultureInfo.CurrentUICulture;

    public CultureScope(CultureInfo culture)
    {
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
    }

    public void Dispose()
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
    }

    /// <summary>Swedish, with U+2212 as the minus sign and a comma as the decimal separator, whatever ICU says.</summary>
    public static CultureInfo MinusSignCulture()
    {
        var culture = (CultureInfo)CultureInfo.GetCultureInfo("sv-SE").Clone();
        culture.NumberFormat.NegativeSign = "\u2212";
        culture.NumberFormat.NumberDecimalSeparator = ",";
        return culture;
    }
}
