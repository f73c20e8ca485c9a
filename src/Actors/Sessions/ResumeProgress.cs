namespace SocketPeer.Actors.Sessions;

/// <summary>
/// How far a resume of this pairing has got. While the partner's answer or its replay is awaited,
/// live relays are dropped: the partner keeps them and replays them after what they follow
/// (delivering one would move the delivered count past the replay and drop the replay as duplicates).
/// </summary>
public enum ResumeProgress
{
    /// <summary>Nothing pending.</summary>
    None,

    /// <summary>Resumed: asked the partner to replay (<see cref="PartnerResumed"/>), no answer yet.</summary>
    AwaitingReplay,

    /// <summary>Rebuilt on a token's word: asked the partner to confirm the pairing and replay, no answer yet.</summary>
    Unconfirmed,

    /// <summary>
    /// Rebuilt on a token's word, and the partner is not replaying (it answered that it was lost too,
    /// or never answered): only its own resume confirms the pairing now.
    /// </summary>
    AwaitingPartnerResume,
}

/// <summary>How a <see cref="ResumeProgress"/> moves.</summary>
public static class ResumeProgressSteps
{
    /// <summary>A replay asked for: on top of a confirmation still awaited, if any.</summary>
    public static ResumeProgress ReplayAsked(this ResumeProgress p) =>
        p is ResumeProgress.Unconfirmed or ResumeProgress.AwaitingPartnerResume ? ResumeProgress.Unconfirmed : ResumeProgress.AwaitingReplay;

    /// <summary>The partner answered (or will not): no replay awaited any more.</summary>
    public static ResumeProgress ReplayAnswered(this ResumeProgress p) => p switch
    {
        ResumeProgress.AwaitingReplay => ResumeProgress.None,
        ResumeProgress.Unconfirmed => ResumeProgress.AwaitingPartnerResume,
        _ => p,
    };

    /// <summary>The partner confirmed the pairing; a replay it has not answered yet is still awaited.</summary>
    public static ResumeProgress Confirmed(this ResumeProgress p) => p switch
    {
        ResumeProgress.Unconfirmed => ResumeProgress.AwaitingReplay,
        ResumeProgress.AwaitingPartnerResume => ResumeProgress.None,
        _ => p,
    };
}
