using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using SocketPeer.Actors.Diagnostics;
using SocketPeer.Gateway.Capacity;
using SocketPeer.Gateway.Options;

namespace SocketPeer.Gateway.Tests.Unit;

/// <summary>The gate before the upgrade: the socket cap, and the memory check on a made-up reading.</summary>
public sealed class ConnectionGateTests : IDisposable
{
    private readonly ServiceProvider _meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider _time = new();
    private readonly SettableMemory _memory = new();

    [Fact]
    public void Sockets_past_the_cap_are_refused_and_counted_and_a_released_slot_is_free_again()
    {
        var metrics = Metrics();
        var gate = Gate(metrics, ConnectionCapacity.From(null, maxConnections: 2), memoryLimit: null);

        using var first = gate.TryAdmit(out _);
        var second = gate.TryAdmit(out _);
        var third = gate.TryAdmit(out var refusedFor);

        Assert.NotNull(first);
        Assert.NotNull(second);
        Assert.Null(third);
        Assert.Equal(ConnectionGate.Sockets, refusedFor);
        Assert.Equal(1, metrics.RefusedFor(ConnectionGate.Sockets));
        second!.Dispose();
        second.Dispose(); // twice frees one slot, not two
        Assert.Equal(1, gate.Open);
        Assert.NotNull(gate.TryAdmit(out _));
        Assert.Null(gate.TryAdmit(out _));
    }

    [Fact]
    public void Memory_at_the_threshold_refuses_and_is_read_again_only_after_the_interval()
    {
        var metrics = Metrics();
        // A 1000 MB limit at 85 %: refused from 850 MB.
        var gate = Gate(metrics, ConnectionCapacity.From(null, 0), memoryLimit: 1_000_000_000, percent: 85);
        Assert.Equal(850_000_000, gate.MemoryThreshold);

        _memory.Bytes = 849_999_999;
        using (gate.TryAdmit(out _)) { }
        _memory.Bytes = 850_000_000;
        Assert.NotNull(gate.TryAdmit(out _)); // the last reading still stands
        _time.Advance(ConnectionGate.MemoryReadInterval);
        Assert.Null(gate.TryAdmit(out var refusedFor));
        Assert.Equal(ConnectionGate.Memory, refusedFor);
        Assert.Equal(1, metrics.RefusedFor(ConnectionGate.Memory));
        Assert.Equal(2, _memory.Reads);

        _memory.Bytes = 100;
        _time.Advance(ConnectionGate.MemoryReadInterval);
        Assert.NotNull(gate.TryAdmit(out _));
    }

    [Theory]
    [InlineData(null, 85)] // no container limit known
    [InlineData(1_000_000_000L, 0)] // the check is off
    public void Without_a_limit_or_with_the_check_off_memory_is_never_read(long? memoryLimit, int percent)
    {
        var gate = Gate(Metrics(), ConnectionCapacity.From(null, 0), memoryLimit, percent);
        _memory.Bytes = long.MaxValue;

        Assert.Null(gate.MemoryThreshold);
        Assert.NotNull(gate.TryAdmit(out _));
        Assert.Equal(0, _memory.Reads);
    }

    private SocketPeerMetrics Metrics() => new(_meters.GetRequiredService<IMeterFactory>());

    private ConnectionGate Gate(SocketPeerMetrics metrics, ConnectionCapacity capacity, long? memoryLimit, int percent = 85) =>
        new(capacity, new HostLimits(null, memoryLimit),
            Microsoft.Extensions.Options.Options.Create(new SocketPeerOptions { MemoryLimitPercent = percent }),
            _memory, _time, metrics);

    public void Dispose() => _meters.Dispose();

    private sealed class SettableMemory : IMemoryGauge
    {
        public long Bytes { get; set; }
        public int Reads { get; private set; }

        public long UsedBytes()
        {
            Reads++;
            return Bytes;
        }
    }
}
