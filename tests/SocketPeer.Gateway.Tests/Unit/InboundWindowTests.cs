using SocketPeer.Gateway.Connections;

namespace SocketPeer.Gateway.Tests.Unit;

public sealed class InboundWindowTests
{
    [Fact]
    public void Places_are_taken_without_waiting_until_the_window_is_full()
    {
        var window = new InboundWindow(2);

        Assert.True(window.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
        Assert.True(window.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
        Assert.Equal(0, window.Free);
        var third = window.WaitAsync(CancellationToken.None);
        Assert.False(third.IsCompleted);
        Assert.Equal(-1, window.Free);
    }

    [Fact]
    public async Task A_release_completes_the_waiting_reader_and_gives_it_the_place()
    {
        var window = new InboundWindow(1);
        await window.WaitAsync(CancellationToken.None);

        var waiting = window.WaitAsync(CancellationToken.None).AsTask();
        Assert.False(waiting.IsCompleted);
        window.Release();

        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(0, window.Free); // the place went to the reader, not back to the window
    }

    [Fact]
    public async Task A_release_before_the_wait_leaves_a_free_place()
    {
        var window = new InboundWindow(1);
        await window.WaitAsync(CancellationToken.None);
        window.Release();

        Assert.True(window.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_cancelled_wait_throws_and_does_not_keep_a_place()
    {
        var window = new InboundWindow(1);
        await window.WaitAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource();

        var waiting = window.WaitAsync(cancel.Token).AsTask();
        cancel.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(0, window.Free);
        window.Release(); // the acknowledgement of the message that holds the place
        Assert.True(window.WaitAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_wait_already_cancelled_takes_nothing()
    {
        var window = new InboundWindow(1);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await window.WaitAsync(new CancellationToken(true)));
        Assert.Equal(1, window.Free);
    }

    [Fact]
    public async Task An_unexpected_acknowledgement_widens_the_window_by_one()
    {
        var window = new InboundWindow(1);
        window.Release();

        await window.WaitAsync(CancellationToken.None);
        await window.WaitAsync(CancellationToken.None);
        Assert.False(window.WaitAsync(CancellationToken.None).IsCompleted);
    }

    [Fact]
    public async Task The_same_wait_is_reused_across_many_waits()
    {
        // The reader's loop: each message takes a place, another thread acknowledges it; every wait
        // completes and the count comes back whole, with the source reused every time.
        const int messages = 20_000;
        var window = new InboundWindow(4);
        var acks = new System.Collections.Concurrent.BlockingCollection<int>();
        var acker = Task.Run(() =>
        {
            foreach (var _ in acks.GetConsumingEnumerable()) window.Release();
        });
        for (var i = 0; i < messages; i++)
        {
            await window.WaitAsync(CancellationToken.None).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            acks.Add(i);
        }
        acks.CompleteAdding();
        await acker.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(4, window.Free);
    }

    [Fact]
    public async Task A_cancellation_racing_a_release_loses_no_place_and_gives_none_twice()
    {
        // Each round: a full window of one, the reader waits, and a release and a cancellation race.
        // Whichever wins, the window ends with exactly one free place once the message is acknowledged.
        for (var round = 0; round < 2_000; round++)
        {
            var window = new InboundWindow(1);
            await window.WaitAsync(CancellationToken.None);
            using var cancel = new CancellationTokenSource();
            var waiting = window.WaitAsync(cancel.Token).AsTask();
            using var start = new Barrier(2);
            var release = Task.Run(() => { start.SignalAndWait(); window.Release(); });
            var canceller = Task.Run(() => { start.SignalAndWait(); cancel.Cancel(); });
            await Task.WhenAll(release, canceller).WaitAsync(TimeSpan.FromSeconds(10));

            var granted = await Completed(waiting);
            // Granted: the reader holds the place until its message is acknowledged.
            if (granted) window.Release();
            Assert.Equal(1, window.Free);
        }
    }

    private static async Task<bool> Completed(Task wait)
    {
        try
        {
            await wait.WaitAsync(TimeSpan.FromSeconds(10));
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
