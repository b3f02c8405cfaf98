using System.Buffers;
using System.Text;
using System.Text.Unicode;
using RnnGen;
using RnnGen.Checkpoints;
using RnnGen.Models;
using RnnGen.Text;
using RnnGen.Training;
using RnnGen.Datasets;

namespace CharLm;

/// <summary>A training text and where it came from.</summary>
public sealed record Corpus(string Text, string Source);

/// <summary>Reads <c>--text</c> (a UTF-8 file or a folder of *.txt files) or builds the default corpus.</summary>
public static class CorpusLoader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Corpus Load(string? path)
    {
        if (path is null) return Default();
        if (File.Exists(path)) return new Corpus(NotEmpty(ReadUtf8(path), path), path);
        if (Directory.Exists(path))
        {
            var files = Directory.GetFiles(path, "*.txt");
            if (files.Length == 0) throw new CliException($"--text: the folder '{path}' holds no *.txt files");
            Array.Sort(files, StringComparer.Ordinal);
            var text = new StringBuilder();
            foreach (var file in files) text.Append(ReadUtf8(file));
            return new Corpus(NotEmpty(text.ToString(), path), $"{path} ({files.Length} files)");
        }
        throw new CliException($"--text: no file or folder '{path}'");
    }

    /// <summary>The prose of the .NET SDK's reference documentation; a message asking for --text when there is none.</summary>
    public static Corpus Default()
    {
        string text;
        try
        {
            text = SdkDocumentationCorpus.Build();
        }
        catch (FileNotFoundException e)
        {
            throw new CliException(e.Message);
        }
        if (text.Length == 0)
            throw new CliException("The .NET SDK's reference documentation gave no text to train on; pass --text FILE to train on a text file of your own.");
        return new Corpus(text, "the .NET SDK's reference documentation (" + (SdkDocumentationCorpus.FindReferencePackDirectory() ?? "?") + ")");
    }

    /// <summary>The file's text; a <see cref="CliException"/> naming the file and the byte offset when it is not UTF-8.</summary>
    public static string ReadUtf8(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"--text: cannot read '{path}': {e.Message}");
        }
        int start = bytes.AsSpan().StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]) ? 3 : 0;
        try
        {
            return StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException)
        {
            throw new CliException($"--text: '{path}' is not UTF-8 text: invalid byte 0x{bytes[InvalidOffset(bytes, start)]:X2} at byte offset {InvalidOffset(bytes, start)}");
        }
    }

    // The offset of the first byte that does not decode.
    private static int InvalidOffset(byte[] bytes, int start)
    {
        var chars = ArrayPool<char>.Shared.Rent(bytes.Length);
        try
        {
            Utf8.ToUtf16(bytes.AsSpan(start), chars, out int read, out _, replaceInvalidSequences: false, isFinalBlock: true);
            return Math.Min(start + read, bytes.Length - 1);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(chars);
        }
    }

    /// <summary>The largest validation part, in characters: 5% of the text, at most this many.</summary>
    public const int MaxValidation = 10_000;

    /// <summary>Holds out the last 5% of the text (at most <see cref="MaxValidation"/> characters) for validation.</summary>
    public static (ReadOnlyMemory<int> Train, ReadOnlyMemory<int> Validation) Split(int[] ids, double? fraction = null)
    {
        int validation = fraction is { } f ? (int)Math.Round(ids.Length * f) : (int)Math.Min(ids.Length * 0.05, MaxValidation);
        return (ids.AsMemory(0, ids.Length - validation), ids.AsMemory(ids.Length - validation));
    }

    private static string NotEmpty(string text, string path) =>
        string.IsNullOrWhiteSpace(text) ? throw new CliException($"--text: '{path}' is empty; give it some text to learn from") : text;
}
