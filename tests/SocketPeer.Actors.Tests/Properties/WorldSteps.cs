using FsCheck;
using FsCheck.Fluent;
using SocketPeer.Actors.Rooms;
using SocketPeer.Actors.Tests.Infrastructure;

namespace SocketPeer.Actors.Tests.Properties;

internal enum StepKind { Deliver, Pair, Leave, Relay, Close, PeerTimeout }

/// <summary>One step of a world's run: a client acts, a timer fires, or one message moves.</summary>
internal sealed record Step(StepKind Kind, int Client, int Arg)
{
    public override string ToString() => Kind == StepKind.Deliver ? $"deliver#{Arg}" : $"{Kind}(c{Client},{Arg})";
}

/// <summary>Random runs of a <see cref="World"/> of four clients sharing two pair codes.</summary>
internal static class WorldSteps
{
    public const int Clients = 4;
    public static readonly PairCode[] Codes = [new("x"), new("y")];

    private static readonly Gen<Step> Step =
        from kind in Gen.Frequency(
            (20, Gen.Constant(StepKind.Deliver)),
            (4, Gen.Constant(StepKind.Pair)),
            (10, Gen.Constant(StepKind.Relay)),
            (1, Gen.Constant(StepKind.Leave)),
            (1, Gen.Constant(StepKind.Close)),
            (1, Gen.Constant(StepKind.PeerTimeout)))
        from client in Gen.Choose(0, Clients - 1)
        from arg in Gen.Choose(0, 1000)
        select new Step(kind, client, arg);

    /// <summary>Runs of up to 150 steps; a failing run shrinks by dropping steps.</summary>
    public static Arbitrary<Step[]> Runs { get; } = Arb.From(
        Gen.Choose(0, 150).SelectMany(n => Gen.ArrayOf(Step, n)),
        Shrinks.Shorter);

    /// <summary>Plays the steps on a fresh world, then lets every message still on its way arrive.</summary>
    public static World Play(Step[] run)
    {
        var world = new World(Clients);
        foreach (var step in run)
        {
            // A paired client mostly talks; now and then it leaves, re-pairs or drops anyway.
            var disrupts = !world.ThinksItIsPaired(step.Client) || step.Arg % 4 == 0;
            switch (step.Kind)
            {
                case StepKind.Deliver: world.DeliverOne(step.Arg); break;
                case StepKind.Pair when disrupts: world.Pair(step.Client, Codes[step.Arg % Codes.Length]); break;
                // Mostly like a real client, which waits for peer.found; now and then an impatient one.
                case StepKind.Relay when world.ThinksItIsPaired(step.Client) || step.Arg % 5 == 0: world.Relay(step.Client); break;
                case StepKind.Leave when disrupts: world.Leave(step.Client); break;
                case StepKind.Close when disrupts: world.Close(step.Client); break;
                case StepKind.PeerTimeout when step.Arg % 3 == 0: world.FirePeerTimeout(step.Client); break;
            }
        }
        world.Settle();
        return world;
    }
}
