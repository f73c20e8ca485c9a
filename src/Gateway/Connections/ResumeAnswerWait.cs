namespace SocketPeer.Gateway.Connections;

/// <summary>
/// What a connection does while the session it resumes has not answered: once the session's node is
/// unreachable, or the session said its node is leaving, or its deadline has passed, this socket's own
/// session should succeed it, if the pairing allows; otherwise the resume is sent again with a new
/// deadline each time one passes (the session ignores a resume past its deadline, and a session whose
/// node has gone is rebuilt where it is next asked). A client must never wait on a resume for good.
/// </summary>
public sealed class ResumeAnswerWait(TimeProvider time)
{
    /// <summary>How long a resumed session has to answer before this socket's own session succeeds it.</summary>
    public static readonly TimeSpan AnswerWithin = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Waited past <see cref="AnswerWithin"/> before succeeding: the session checks the deadline on
    /// its own node's clock, so a late resume is ignored there before the successor takes over here.
    /// </summary>
    public static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromSeconds(1);

    /// <summary>How often the wait checks whether the session's node became unreachable.</summary>
    public static readonly TimeSpan CheckEvery = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How often the resume is sent again, with the same deadline, while the session's node is no
    /// member any more. Its shard moves to whichever node asks next, but a resume sent just as the
    /// node was removed may reach the old home first and vanish (seen after a partition: resumes
    /// waited out their whole deadline). The session ignores a repeat from the socket it serves.
    /// </summary>
    public static readonly TimeSpan AskAgainWhileRemoved = TimeSpan.FromMilliseconds(500);

    /// <summary>The deadline for a resume sent now.</summary>
    public DateTimeOffset NextDeadline() => time.GetUtcNow() + AnswerWithin;

    /// <summary>
    /// Waits until the session answered (null), the connection is over (null), or this socket's own
    /// session should succeed it (why, for the log).
    /// </summary>
    /// <param name="askAgain">sends the resume again with the deadline it is given</param>
    /// <param name="removed">whether the session's node is no member any more (its shard moves on the next ask)</param>
    public async Task<string?> UntilSuccessionAsync(Task answered, Task leaving, DateTimeOffset answerBy,
        Func<bool> unreachable, Func<bool> canBeSucceeded, Action<DateTimeOffset> askAgain, CancellationToken over,
        Func<bool>? removed = null)
    {
        var asked = time.GetUtcNow();
        using var tick = new PeriodicTimer(CheckEvery, time);
        // One tick waited for at a time: PeriodicTimer throws on a second wait while one is pending.
        // That once ended this wait, and left a resume unanswered for good, when the session said its
        // node was leaving but could not be succeeded (a chaos run under load).
        Task<bool>? next = null;
        while (!answered.IsCompleted && !over.IsCancellationRequested)
        {
            var isUnreachable = unreachable();
            var late = time.GetUtcNow() > answerBy + ClockSkewAllowance;
            if ((isUnreachable || late || leaving.IsCompleted) && canBeSucceeded())
                return isUnreachable ? "its node is unreachable" : leaving.IsCompleted ? "its node is leaving" : "deadline passed";
            if (late)
            {
                answerBy = NextDeadline();
                askAgain(answerBy);
                asked = time.GetUtcNow();
            }
            else if (removed?.Invoke() == true && time.GetUtcNow() - asked >= AskAgainWhileRemoved)
            {
                askAgain(answerBy);
                asked = time.GetUtcNow();
            }
            next ??= tick.WaitForNextTickAsync(over).AsTask();
            await (leaving.IsCompleted ? Task.WhenAny(answered, next) : Task.WhenAny(answered, leaving, next));
            if (next.IsCompleted) next = null;
        }
        return null;
    }
}
