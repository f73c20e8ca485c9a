using System.Diagnostics;

namespace SocketPeer.Actors.Diagnostics;

/// <summary>
/// The W3C trace context of a span, as it travels inside an actor message to another node:
/// <see cref="TraceParent"/> (<c>00-{trace id}-{span id}-{flags}</c>) and, if any,
/// <see cref="TraceState"/>. Messages carry one only when the span was sampled, so a node that
/// traces nothing allocates none (docs/operations.md, "Tracing").
/// </summary>
public sealed record TraceContext(string TraceParent, string? TraceState = null)
{
    /// <summary>The context of a sampled <paramref name="activity"/>; null when there is none or it records nothing.</summary>
    public static TraceContext? Of(Activity? activity) =>
        activity is { Recorded: true, IdFormat: ActivityIdFormat.W3C, Id: { } id }
            ? new TraceContext(id, activity.TraceStateString)
            : null;

    /// <summary>The context as a parent or a link for a span started here; false if the text is no W3C trace context.</summary>
    public bool TryParse(out ActivityContext context) =>
        ActivityContext.TryParse(TraceParent, TraceState, isRemote: true, out context);

    /// <summary>A link to this context, or none when it cannot be read.</summary>
    public static void AddLink(List<ActivityLink> links, TraceContext? trace)
    {
        if (trace is not null && trace.TryParse(out var context)) links.Add(new ActivityLink(context));
    }
}
