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
/// graph's actor: one hop per message, like any Tell.
/// </summary>
public sealed class LaneSource(ChannelReader<IngressItem> reader) : GraphStage<SourceShape<IngressItem>>
{
    private readonly Outlet<IngressItem> _out = new("ingress-lane.out");

    public override SourceShape<IngressItem> Shape => new(_out);

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this, reader);

    private sealed class Logic : OutGraphStageLogic
    {
        private readonly Outlet<IngressItem> _out;
        private readonly ChannelReader<IngressItem> _reader;
        private readonly Action<bool> _readable;
        private readonly Action<Exception> _failed;
        private ValueTaskAwaiter<bool> _waiting;
        private readonly Action _onWaitOver;

        public Logic(LaneSource stage, ChannelReader<IngressItem> reader) : base(stage.Shape)
        {
            _out = stage._out;
            _reader = reader;
            _readable = GetAsyncCallback<bool>(Readable);
            _failed = GetAsyncCallback<Exception>(FailStage);
            _onWaitOver = WaitOver;
            SetHandler(_out, this);
        }

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
                Readable(wait.Result);
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
                _readable(_waiting.GetResult());
            }
            catch (Exception e)
            {
                _failed(e);
            }
        }

        private void Readable(bool more)
        {
            if (!more)
            {
                CompleteStage(); // the channel was completed: ingress stopped
                return;
            }
            if (_reader.TryRead(out var item)) Push(_out, item);
            else OnPull(); // another reader (the stop's drain) took it: wait again
        }
    }
}
