using SocketPeer.Chaos.Cli;
using SocketPeer.Chaos.Faults;

namespace SocketPeer.Chaos.Tests;

public sealed class CpuBurnersTests
{
    [Fact]
    public void Busy_loops_run_until_disposed_and_none_outlives_it()
    {
        IReadOnlyList<int> pids;
        using (var burners = CpuBurners.Start(2))
        {
            pids = burners.Pids;
            Assert.Equal(2, burners.Running);
            Assert.All(pids, pid => Assert.True(IsBusyLoop(pid), $"pid {pid} is not a busy loop"));
        }
        // Dispose kills each loop and waits for its exit (and the reaping of it).
        Assert.All(pids, pid => Assert.False(IsBusyLoop(pid), $"busy loop {pid} outlived the burners"));
    }

    [Fact]
    public void The_option_is_parsed_and_bounded()
    {
        Assert.Equal(2, ChaosSettings.Parse(["--cpu-burners", "2"]).CpuBurners);
        Assert.Equal(0, ChaosSettings.Parse([]).CpuBurners);
        Assert.Throws<ArgumentException>(() => ChaosSettings.Parse(["--cpu-burners", "17"]));
        Assert.Throws<ArgumentException>(() => ChaosSettings.Parse(["--cpu-burners", "-1"]));
    }

    private static bool IsBusyLoop(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Contains("while :; do :; done");
        }
        catch (IOException)
        {
            return false; // no such process
        }
    }
}
