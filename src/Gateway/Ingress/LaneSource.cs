using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Akka.Streams;
using Akka.Streams.Stage;

namespace SocketPeer.Gateway.Ingress;

/// <summary>
/// Reads a lane's channel into its graph. Akka's own <c>ChannelSource</c> waits for data with
/// <c>AsTask().ContinueWith</c>, two thread-pool hops before the stage's async callback, and a quiet
/// lane waits before almost every message; here the channel's waiter invokes the callback itself
/// (on the writer's thread, the channel allowing synchronous continuations), which only posts to the
/// graph's actor: one hop per message, like any Tell. Its materialized value fails the stage from
/// outside (<see cref="IngressLane.FailGraph"/>), as a bug in a stage would, without a kill switch
/// stage of its own in every lane.
/// </summary>
public sealed class LaneSource(ChannelReader<IngressItem> reader)
    : GraphStageWithMaterializedValue<SourceShape<IngressItem>, Action<Exception>>
{
    private readonly Outlet<IngressItem> _out = new("ingress-lane.out");

    public override SourceShape<IngressItem> Shape => new(_out);

    public override ILogicAndMaterializedValue<Action<Exception>> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var logic = new Logic(this, reader);
        return new LogicAndMaterializedValue<Action<Exception>>(logic, logic.Fail);
    }

    private sealed class Logic : OutGraphStageLogic
    {
        private readonly Outlet<IngressItem> _out;
        private readonly ChannelReader<IngressItem> _reader;
        // Callbacks without an argument: a quiet lane wakes through one for nearly every message, and
        // one with an argument boxes it on every call.
        private readonly Action _readable;
        private readonly Action _completed;
        private readonly Action<Exception> _failed;
        private readonly Action _onWaitOver;
        private ValueTaskAwaiter<bool> _waiting;

        public Logic(LaneSource stage, ChannelReader<IngressItem> reader) : base(stage.Shape)
        {
            _out = stage._out;
            _reader = reader;
            _readable = GetAsyncCallback(Readable);
            _completed = GetAsyncCallback(CompleteStage);
            _failed = GetAsyncCallback<Exception>(FailStage);
            _onWaitOver = WaitOver;
            SetHandler(_out, this);
        }

        public Action<Exception> Fail => _failed;

        public override void OnPull()
        {
            if (_reader.TryRead(out var item))
            {
                Push(_out, item);
                return;
            }
            var wait = _reader.WaitToReadAsync();
            if (wait.IsCompleted)
            {
                if (wait.Result) Readable();
                else CompleteStage(); // the channel was completed: ingress stopped
                return;
            }
            _waiting = wait.GetAwaiter();
            _waiting.UnsafeOnCompleted(_onWaitOver);
        }

        /// <summary>On the thread that completed the wait: hand the result to the stage, nothing more.</summary>
        private void WaitOver()
        {
            try
            {
                if (_waiting.GetResult()) _readable();
                else _completed();
            }
            catch (Exception e)
            {
                _failed(e);
            }
        }

        private void Readable()
        {
            if (_reader.TryRead(out var item)) Push(_out, item);
            else OnPull(); // another reader (the stop's drain) took it: wait again
        }
    }
}
