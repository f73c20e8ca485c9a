using Akka.Streams;
using Akka.Streams.Stage;

namespace SocketPeer.Gateway.Ingress;

/// <summary>
/// Reads a lane's queue into its graph. When the queue is empty the stage parks on it, and the writer
/// of the next item calls the stage's async callback itself, which only posts to the graph's actor:
/// one hop per message, like any Tell. (Akka's own <c>ChannelSource</c> waits with
/// <c>AsTask().ContinueWith</c>, two thread-pool hops before the callback, and a quiet lane waits
/// before almost every message.) Its materialized value fails the stage from outside
/// (<see cref="IngressLane.FailGraph"/>), as a bug in a stage would, without a kill switch stage of
/// its own in every lane.
/// </summary>
public sealed class LaneSource(LaneQueue queue) : GraphStageWithMaterializedValue<SourceShape<IngressItem>, Action<Exception>>
{
    private readonly Outlet<IngressItem> _out = new("ingress-lane.out");

    public override SourceShape<IngressItem> Shape => new(_out);

    public override ILogicAndMaterializedValue<Action<Exception>> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var logic = new Logic(this, queue);
        return new LogicAndMaterializedValue<Action<Exception>>(logic, logic.Fail);
    }

    private sealed class Logic : OutGraphStageLogic
    {
        private readonly Outlet<IngressItem> _out;
        private readonly LaneQueue _queue;
        // A callback without an argument: a quiet lane wakes through it for nearly every message, and
        // one with an argument boxes it on every call.
        private readonly Action _readable;
        private readonly Action<Exception> _failed;

        public Logic(LaneSource stage, LaneQueue queue) : base(stage.Shape)
        {
            _out = stage._out;
            _queue = queue;
            _readable = GetAsyncCallback(OnPull);
            _failed = GetAsyncCallback<Exception>(FailStage);
            SetHandler(_out, this);
        }

        public Action<Exception> Fail => _failed;

        public override void OnPull()
        {
            // Called on demand, and again by the wake: the wake comes only while the outlet is pulled
            // (the stage parks only from here, with nothing pushed), so a push is always allowed.
            while (true)
            {
                if (_queue.TryRead(out var item))
                {
                    Push(_out, item);
                    return;
                }
                if (_queue.IsCompleted)
                {
                    CompleteStage(); // ingress stopped
                    return;
                }
                if (_queue.Park(_readable)) return;
            }
        }
    }
}
