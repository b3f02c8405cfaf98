using System.Text;

namespace RnnGen.Datasets;

/// <summary>
/// Writes whole numbers in Chinese numerals: 个十百千 within groups of four digits, the groups joined by 万
/// and 亿 (0 ≤ n &lt; 10¹²).
/// </summary>
/// <remarks>
/// Rules, as in ordinary written Chinese:
/// <list type="bullet">
/// <item>Each run of zeros between nonzero digits is read as one 零, whether inside a group (1005 一千零五,
/// 1050 一千零五十) or across groups (10005 一万零五, 100000005 一亿零五, 20304 二万零三百零四); trailing zeros
/// are silent (30000 三万).</item>
/// <item>A group below 1000 that follows a higher group starts with 零 (1000500 一百万零五百).</item>
/// <item>十 without 一 only when the 1 of 10–19 leads the whole number (10 十, 15 十五, 150000 十五万);
/// elsewhere 一十 (115 一百一十五, 100010 十万零一十).</item>
/// <item>2 is always 二 (二千, not 两千), so each number has exactly one written form.</item>
/// </list>
/// </remarks>
public static class ChineseNumerals
{
    private const string Digits = "零一二三四五六七八九";
    private static readonly string[] GroupUnits = ["", "万", "亿"];
    private static readonly string[] PlaceUnits = ["", "十", "百", "千"];

    public static string FromNumber(long number)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(number);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(number, 1_000_000_000_000L);
        if (number == 0) return "零";
        var groups = new int[3];
        for (int g = 0; g < 3; g++) { groups[g] = (int)(number % 10000); number /= 10000; }
        var text = new StringBuilder();
        bool pendingZero = false;
        for (int g = 2; g >= 0; g--)
        {
            if (groups[g] == 0)
            {
                pendingZero = text.Length > 0;
                continue;
            }
            bool leading = text.Length == 0;
            if (!leading && (pendingZero || groups[g] < 1000)) text.Append('零');
            Section(text, groups[g], leading);
            text.Append(GroupUnits[g]);
            pendingZero = false;
        }
        return text.ToString();
    }

    /// <summary>A group 1..9999: its digits with 千百十, one 零 per internal run of zeros.</summary>
    private static void Section(StringBuilder text, int value, bool leadsNumber)
    {
        bool started = false, zero = false;
        for (int place = 3; place >= 0; place--)
        {
            int digit = value / Pow10(place) % 10;
            if (digit == 0)
            {
                zero = started;
                continue;
            }
            if (zero) text.Append('零');
            zero = false;
            bool bareTen = place == 1 && digit == 1 && !started && leadsNumber;
            if (!bareTen) text.Append(Digits[digit]);
            text.Append(PlaceUnits[place]);
            started = true;
        }
    }

    private static int Pow10(int place) => place switch { 0 => 1, 1 => 10, 2 => 100, _ => 1000 };
}
