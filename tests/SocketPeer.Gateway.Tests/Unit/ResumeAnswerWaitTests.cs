using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using SocketPeer.Gateway.Connections;

namespace SocketPeer.Gateway.Tests.Unit;

/// <summary>What a connection does while the session it resumes has not answered.</summary>
public sealed class ResumeAnswerWaitTests
{
    private static readonly TimeSpan PastTheDeadline = ResumeAnswerWait.AnswerWithin + ResumeAnswerWait.ClockSkewAllowance
        + ResumeAnswerWait.CheckEvery;

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new(DateTimeOffset.UnixEpoch);
    private readonly TaskCompletionSource _answered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    // Continuations run inline: the wait takes the notice before SetResult returns, so a test cannot
    // move the clock first (the bug below showed only when the notice was taken between two ticks).
    private readonly TaskCompletionSource _leaving = new();
    private readonly Channel<DateTimeOffset> _askedAgain = Channel.CreateUnbounded<DateTimeOffset>();

    private Task<string?> Wait(bool unreachable = false, bool canBeSucceeded = false, bool removed = false)
    {
        var wait = new ResumeAnswerWait(_time);
        return wait.UntilSuccessionAsync(_answered.Task, _leaving.Task, wait.NextDeadline(),
            () => unreachable, () => canBeSucceeded, deadline => _askedAgain.Writer.TryWrite(deadline), CancellationToken.None,
            () => removed);
    }

    /// <summary>
    /// Seen after a partition: the session's node was removed just as the resume went out, the resume
    /// reached the old home and vanished, and the client waited out the whole deadline.
    /// </summary>
    [Fact]
    public async Task A_resume_to_a_session_whose_node_was_removed_is_sent_again_soon_with_the_same_deadline()
    {
        var waiting = Wait(removed: true);
        var firstDeadline = _time.GetUtcNow() + ResumeAnswerWait.AnswerWithin;

        _time.Advance(ResumeAnswerWait.AskAgainWhileRemoved + ResumeAnswerWait.CheckEvery);

        Assert.Equal(firstDeadline, await _askedAgain.Reader.ReadAsync().AsTask().WaitAsync(Patience));
        _answered.SetResult();
        Assert.Null(await waiting.WaitAsync(Patience));
    }

    /// <summary>
    /// Seen in a chaos run under load: the session said its node was leaving while the wait was on,
    /// nobody could succeed it, and the wait died on its timer (a second tick asked for while one was
    /// pending), so the resume was never asked again and the client waited until its socket closed.
    /// </summary>
    [Fact]
    public async Task A_leaving_session_that_cannot_be_succeeded_is_asked_again_at_every_deadline_until_it_answers()
    {
        var waiting = Wait(canBeSucceeded: false);
        _leaving.SetResult(); // while the wait is on, as the session's notice arrives

        for (var round = 1; round <= 2; round++)
        {
            _time.Advance(PastTheDeadline);
            var deadline = await _askedAgain.Reader.ReadAsync().AsTask().WaitAsync(Patience);
            Assert.Equal(_time.GetUtcNow() + ResumeAnswerWait.AnswerWithin, deadline);
        }
        Assert.False(waiting.IsCompleted);

        _answered.SetResult();
        Assert.Null(await waiting.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_leaving_session_is_succeeded_when_the_pairing_allows_it()
    {
        var waiting = Wait(canBeSucceeded: true);
        _leaving.SetResult();

        Assert.Equal("its node is leaving", await waiting.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_session_on_an_unreachable_node_is_succeeded_at_once()
    {
        Assert.Equal("its node is unreachable", await Wait(unreachable: true, canBeSucceeded: true).WaitAsync(Patience));
    }

    [Fact]
    public async Task A_silent_session_is_succeeded_once_its_deadline_and_the_clock_skew_allowance_have_passed()
    {
        var waiting = Wait(canBeSucceeded: true);
        _time.Advance(ResumeAnswerWait.AnswerWithin);
        Assert.False(waiting.IsCompleted);

        _time.Advance(ResumeAnswerWait.ClockSkewAllowance + ResumeAnswerWait.CheckEvery);

        Assert.Equal("deadline passed", await waiting.WaitAsync(Patience));
        Assert.False(_askedAgain.Reader.TryRead(out _));
    }
}
