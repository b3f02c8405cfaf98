using System.Globalization;
using System.Text;

namespace RnnGen.Datasets;

/// <summary>
/// Writes whole numbers (0 ≤ n &lt; 10⁹) in British English words: "one hundred and twenty",
/// "two thousand and five", "three hundred and five thousand", "twenty-one"; and dates as "March 5, 2024".
/// </summary>
/// <remarks>
/// "and" joins a hundred to the tens and units after it, and joins a last group below one hundred to the
/// millions or thousands before it (1000020 "one million and twenty").
/// </remarks>
public static class EnglishNumbers
{
    private static readonly string[] Small =
    [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];
    private static readonly string[] Tens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    /// <summary>The English month names, January first.</summary>
    public static readonly IReadOnlyList<string> Months =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    public static string FromNumber(long number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(number, 1_000_000_000L);
        if (number == 0) return "zero";
        int millions = (int)(number / 1_000_000), thousands = (int)(number / 1000 % 1000), units = (int)(number % 1000);
        var parts = new List<string>();
        if (millions > 0) parts.Add(BelowThousand(millions) + " million");
        if (thousands > 0) parts.Add(BelowThousand(thousands) + " thousand");
        if (units > 0) parts.Add((parts.Count > 0 && units < 100 ? "and " : "") + BelowThousand(units));
        return string.Join(" ", parts);
    }

    private static string BelowThousand(int n)
    {
        var text = new StringBuilder();
        if (n >= 100)
        {
            text.Append(Small[n / 100]).Append(" hundred");
            if (n % 100 != 0) text.Append(" and ");
        }
        int rest = n % 100;
        if (rest == 0) return text.ToString();
        if (rest < 20) return text.Append(Small[rest]).ToString();
        text.Append(Tens[rest / 10]);
        if (rest % 10 != 0) text.Append('-').Append(Small[rest % 10]);
        return text.ToString();
    }

    /// <summary>"March 5, 2024".</summary>
    public static string Date(DateOnly date) =>
        string.Create(CultureInfo.InvariantCulture, $"{Months[date.Month - 1]} {date.Day}, {date.Year}");

    /// <summary>The Chinese form of a date: "2024年3月5日".</summary>
    public static string ChineseDate(DateOnly date) =>
        string.Create(CultureInfo.InvariantCulture, $"{date.Year}年{date.Month}月{date.Day}日");
}
