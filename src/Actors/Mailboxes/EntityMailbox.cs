using Akka.Actor;
using Akka.Configuration;
using Akka.Dispatch;
using Akka.Dispatch.MessageQueues;
using Akka.Hosting;

namespace SocketPeer.Actors.Mailboxes;

/// <summary>
/// The mailbox of the sharded entities: each gets an <see cref="EntityMessageQueue"/>, which holds no
/// slots while empty. Akka.NET finds a mailbox type only by a configuration path (it has no in-code
/// registry of mailboxes as it has of dispatchers), so <see cref="EntityMailboxRegistration.AddEntityMailbox"/> writes that one
/// path, from this type's name; entity <see cref="Props"/> name it through <see cref="Deploy"/>.
/// </summary>
public sealed class EntityMailbox : MailboxType, IProducesMessageQueue<EntityMessageQueue>
{
    /// <summary>The configuration path of the mailbox; nothing else is read from it.</summary>
    public const string Id = "socketpeer.entity-mailbox";

    /// <summary>The deployment of an entity: default in all but its mailbox. Shared, as it is immutable.</summary>
    public static readonly Deploy Deploy = Deploy.None.WithMailbox(Id);

    /// <summary>The constructor Akka calls (by reflection) for the path <see cref="Id"/>.</summary>
    public EntityMailbox(Settings settings, Config config) : base(settings, config)
    {
    }

    public override IMessageQueue Create(IActorRef owner, ActorSystem system) => new EntityMessageQueue();

    /// <summary>The one line of configuration that names this type under <see cref="Id"/>.</summary>
    public static string Hocon =>
        $"{Id}.mailbox-type = \"{typeof(EntityMailbox).FullName}, {typeof(EntityMailbox).Assembly.GetName().Name}\"";
}

public static class EntityMailboxRegistration
{
    /// <summary>Makes <see cref="EntityMailbox.Id"/> known to the actor system; idempotent.</summary>
    public static AkkaConfigurationBuilder AddEntityMailbox(this AkkaConfigurationBuilder builder) =>
        builder.AddHocon(EntityMailbox.Hocon, HoconAddMode.Prepend);
}
