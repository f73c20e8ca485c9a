using Akka.Streams;
using Akka.Streams.Stage;
using Akka.Streams.Supervision;

namespace SocketPeer.Gateway.Ingress;

/// <summary>
/// The end of a lane: delivers each element and asks for the next, in one stage rather than a
/// <c>Select</c> and a <c>Sink.Ignore</c>, since a quiet lane crosses every stage boundary once per
/// message. An element that throws goes to the graph's supervision decider (the lane's: log, drop it,
/// go on); its materialized task ends when the lane does.
/// </summary>
public sealed class LaneSink(Action<IngressItem> deliver) : GraphStageWithMaterializedValue<SinkShape<IngressItem>, Task>
{
    private readonly Inlet<IngressItem> _in = new("ingress-lane.in");

    public override SinkShape<IngressItem> Shape => new(_in);

    public override ILogicAndMaterializedValue<Task> CreateLogicAndMaterializedValue(Attributes inheritedAttributes)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var decider = inheritedAttributes.GetAttribute<ActorAttributes.SupervisionStrategy>(null)?.Decider ?? Deciders.StoppingDecider;
        return new LogicAndMaterializedValue<Task>(new Logic(this, deliver, decider, done), done.Task);
    }

    private sealed class Logic : InGraphStageLogic
    {
        private readonly Inlet<IngressItem> _in;
        private readonly Action<IngressItem> _deliver;
        private readonly Decider _decider;
        private readonly TaskCompletionSource _done;

        public Logic(LaneSink stage, Action<IngressItem> deliver, Decider decider, TaskCompletionSource done) : base(stage.Shape)
        {
            _in = stage._in;
            _deliver = deliver;
            _decider = decider;
            _done = done;
            SetHandler(_in, this);
        }

        public override void PreStart() => Pull(_in);

        public override void OnPush()
        {
            try
            {
                _deliver(Grab(_in));
            }
            catch (Exception e) when (_decider(e) != Directive.Stop)
            {
                // Resumed (or restarted: nothing here holds state): the element is dropped.
            }
            Pull(_in);
        }

        public override void OnUpstreamFinish()
        {
            _done.TrySetResult();
            CompleteStage();
        }

        public override void OnUpstreamFailure(Exception e)
        {
            _done.TrySetException(e);
            FailStage(e);
        }

        public override void PostStop() => _done.TrySetException(new AbruptStageTerminationException(this));
    }
}
