using Akka.Actor;
using Akka.Configuration;
using Akka.TestKit.Xunit2;
using SocketPeer.Actors.Mailboxes;

namespace SocketPeer.Actors.Tests.Mailboxes;

public sealed class EntityMailboxTests() : TestKit(ConfigurationFactory.ParseString(EntityMailbox.Hocon))
{
    [Fact]
    public void An_actor_deployed_with_the_entity_mailbox_gets_its_queue_and_its_messages_in_order()
    {
        var echo = Sys.ActorOf(new Props(EntityMailbox.Deploy, typeof(Echo)));

        for (var i = 0; i < 100; i++)
            echo.Tell(i, TestActor);
        for (var i = 0; i < 100; i++)
            ExpectMsg(i);

        // A top-level ref points at its started cell once the guardian has created it.
        AwaitAssert(() =>
        {
            var cell = Assert.IsType<ActorCell>(((ActorRefWithCell)echo).Underlying);
            Assert.IsType<EntityMessageQueue>(cell.Mailbox!.MessageQueue);
        });
    }

    private sealed class Echo : UntypedActor
    {
        protected override void OnReceive(object message) => Sender.Tell(message);
    }
}
