namespace RnnGen.Tests.Models;

public class TorchLoadsOurCheckpointsTests
{
    [TorchFact]
    public void A_checkpoint_written_by_RnnGen_loads_strictly_in_PyTorch_and_gives_the_same_logits()
    {
        foreach (var name in new[] { "gru_l2", "lstm_l1", "rnn_l1" })
        {
            var (model, _, _) = TorchParityTests.Load(name);
            string path = Path.Combine(Path.GetTempPath(), $"rnngen-{name}-{Guid.NewGuid():N}.safetensors");
            try
            {
                model.Save(path);
                string script = Path.Combine(Path.GetDirectoryName(TorchParityTests.FixturePath(name))!, "check_load.py");
                int code = Python.Run($"\"{script}\" \"{path}\" --batch \"{TorchParityTests.FixturePath(name)}\"", out string output);
                Assert.True(code == 0 && output.Contains("MATCH") && !output.Contains("MISMATCH"), $"{name}: exit {code}\n{output}");
            }
            finally
            {
                File.Delete(path);
            }
        }
    }
}
