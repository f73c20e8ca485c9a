namespace SocketPeer.Gateway.Capacity;

/// <summary>
/// How many WebSockets this node may hold, and how many connections not (yet) upgraded, so that it
/// never runs out of file descriptors: each socket holds one, and a process that cannot get one
/// fails in places it cannot recover from (the runtime's JIT maps code through a descriptor, and
/// .NET exits with "Out of memory." when that fails, dropping every socket it held). The numbers
/// come from the open-files limit less a headroom, or from <c>SocketPeer:MaxConnections</c> when
/// that is lower.
/// </summary>
/// <param name="Limit">the open-files limit read at start; null when unknown (not Linux).</param>
/// <param name="Sockets">open WebSockets admitted; past it, upgrades get 503. <see cref="int.MaxValue"/>: no cap.</param>
/// <param name="PendingConnections">
/// Kestrel's <c>MaxConcurrentConnections</c>: connections that have not upgraded (an upgrade request
/// in flight, a 503 being answered, a static file, a probe on the public port, or a raw TCP
/// connection that never sends a request). Null: no cap.
/// </param>
/// <param name="Clamped">MaxConnections asked for more sockets than the limit allows, and got fewer.</param>
public sealed record ConnectionCapacity(DescriptorLimit? Limit, int Sockets, int? PendingConnections, bool Clamped)
{
    /// <summary>
    /// Descriptors the process needs whatever its load: the runtime maps each loaded assembly through
    /// two (an idle node holds about 300), plus cluster remoting, log files, metrics scrapes, the
    /// management port and the JIT's double-mapped code.
    /// </summary>
    public const int ProcessReserve = 512;

    /// <summary>The least room for connections not yet upgraded (<see cref="PendingConnections"/>).</summary>
    public const int MinimumPending = 64;

    /// <summary>Below this many open files a production node warns at start (docs/kubernetes.md).</summary>
    public const long ProductionDescriptors = 65_536;

    /// <summary>The smallest open-files limit that leaves a single WebSocket after the headroom.</summary>
    public const long MinimumDescriptors = 569;

    /// <param name="maxConnections"><c>SocketPeer:MaxConnections</c>; 0 derives the cap from the limit alone.</param>
    public static ConnectionCapacity From(DescriptorLimit? limit, int maxConnections)
    {
        if (limit is null || limit.IsUnlimited)
            return new(limit, maxConnections > 0 ? maxConnections : int.MaxValue, null, false);
        var descriptors = limit.Soft;
        var derived = (int)Math.Clamp(descriptors - HeadroomFor(descriptors), 0, int.MaxValue);
        // Half the headroom's proportional part: the other half, and the fixed reserve, stay with the
        // process. Kestrel must be able to hold more connections than the sockets alone, or the excess
        // could not be told 503 (a refused TCP connection looks like a dead node to a load balancer).
        var pending = (int)Math.Min(int.MaxValue, Math.Max(MinimumPending, descriptors / 20));
        var sockets = maxConnections > 0 ? Math.Min(maxConnections, derived) : derived;
        return new(limit, sockets, pending, maxConnections > derived);
    }

    /// <summary>Descriptors kept from sockets: the process's reserve and a tenth of the limit.</summary>
    public static long HeadroomFor(long descriptors) => ProcessReserve + descriptors / 10;

    public bool IsCapped => Sockets != int.MaxValue;

    /// <summary>Why this node cannot run at all (start-up stops with it), or null.</summary>
    public string? Problem => Limit is { IsUnlimited: false } && Sockets < 1
        ? $"the open-files limit ({Limit.Soft}) leaves no descriptor for a WebSocket after the {HeadroomFor(Limit.Soft)} the process needs: " +
          $"raise it to at least {MinimumDescriptors} (a production node should have {ProductionDescriptors} or more; docs/kubernetes.md)"
        : null;

    /// <summary>What an operator should hear at start: a limit too low for production, a cap cut down.</summary>
    public IEnumerable<string> Warnings()
    {
        if (Limit is { IsUnlimited: false } && Limit.Soft < ProductionDescriptors)
            yield return $"The open-files limit ({Limit.Soft}) is below the {ProductionDescriptors} a production node should have: " +
                         $"this node holds at most {Sockets} WebSockets (docs/kubernetes.md, \"File descriptors\")";
        if (Clamped)
            yield return $"SocketPeer:MaxConnections asks for more WebSockets than the open-files limit ({Limit!.Soft}) allows: " +
                         $"capped at {Sockets}";
    }
}
