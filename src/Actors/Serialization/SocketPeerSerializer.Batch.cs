using System.Runtime.Serialization;
using Akka.Actor;
using SocketPeer.Actors.Crossings;
using SocketPeer.Actors.Sessions;

namespace SocketPeer.Actors.Serialization;

/// <summary>
/// <c>PRB</c>, a <see cref="RelayBatch"/>: its distinct refs (count, then each as a serialized path),
/// then its items (count, then each: the target's index, the sender's index plus one (0: none), the
/// message's manifest, and its body, length-prefixed, as that manifest writes it alone). Relays and
/// acks are written and read in place from the batch's buffer; any other message is nested whole.
/// </summary>
public sealed partial class SocketPeerSerializer
{
    private const string BatchManifest = "PRB";

    /// <summary>Each item takes at least this many bytes (two indexes, two length prefixes): a count above that is refused before anything is allocated.</summary>
    private const int MinItemBytes = 4;

    private byte[] BatchBinary(RelayBatch batch)
    {
        var paths = new string[batch.Refs.Count];
        var size = SpanWriter.SizeOf7BitEncoded(paths.Length) + SpanWriter.SizeOf7BitEncoded(batch.Items.Count);
        for (var i = 0; i < paths.Length; i++)
        {
            paths[i] = Akka.Serialization.Serialization.SerializedActorPath(batch.Refs[i]);
            size += SpanWriter.SizeOf(paths[i]);
        }
        // Each item's manifest and body size, computed once; messages other than relays and acks are
        // written by the stream writer first, to know their size.
        var count = batch.Items.Count;
        var manifests = new string[count];
        var bodies = new int[count];
        var others = new byte[]?[count];
        for (var i = 0; i < count; i++)
        {
            var item = batch.Items[i];
            (manifests[i], bodies[i]) = item.Message switch
            {
                PartnerRelay m => ("PR", SizeOf(m)),
                PartnerAck m => ("PA", SizeOf(m)),
                var m => (Manifest(m), (others[i] = ToBinary(m)).Length),
            };
            size += SpanWriter.SizeOf7BitEncoded(item.Target) + SpanWriter.SizeOf7BitEncoded(item.Sender + 1)
                + SpanWriter.SizeOf(manifests[i]) + SpanWriter.SizeOfBytes(bodies[i]);
        }

        var bytes = new byte[size];
        var w = new SpanWriter(bytes);
        w.Write7BitEncoded(paths.Length);
        foreach (var path in paths) w.Write(path);
        w.Write7BitEncoded(count);
        for (var i = 0; i < count; i++)
        {
            var item = batch.Items[i];
            w.Write7BitEncoded(item.Target); w.Write7BitEncoded(item.Sender + 1); w.Write(manifests[i]);
            w.Write7BitEncoded(bodies[i]);
            switch (item.Message)
            {
                case PartnerRelay m: Write(ref w, m); break;
                case PartnerAck m: Write(ref w, m); break;
                default: w.WriteRaw(others[i]); break;
            }
        }
        return bytes;
    }

    private RelayBatch ReadBatch(byte[] bytes)
    {
        var r = new SpanReader(bytes);
        var refs = new IActorRef[r.Length()]; // each path takes at least its length prefix
        for (var i = 0; i < refs.Length; i++) refs[i] = system.Provider.ResolveActorRef(r.ReadText());
        var count = r.Read7BitEncoded();
        if (count < 0 || count > r.Left / MinItemBytes)
            throw new SerializationException($"a batch of {count} items in {r.Left} bytes");
        var items = new RelayItem[count];
        for (var i = 0; i < items.Length; i++)
        {
            var target = Index(r.Read7BitEncoded(), refs.Length);
            var senderPlusOne = r.Read7BitEncoded();
            var sender = senderPlusOne == 0 ? RelayItem.NoSender : Index(senderPlusOne - 1, refs.Length);
            var manifest = r.ReadText();
            var body = new SpanReader(r.ReadSpan(r.Length()));
            items[i] = new RelayItem(target, sender, ReadItem(ref body, manifest));
        }
        return new RelayBatch(refs, items);
    }

    private IWithSessionId ReadItem(ref SpanReader body, string manifest)
    {
        switch (manifest)
        {
            case "PR": return ReadRelay(ref body);
            case "PA": return ReadAck(ref body);
            // Refused before reading: a batch nested in a batch (in a batch …) would recurse as deep as the bytes allow.
            case BatchManifest: throw new SerializationException("a batch inside a batch");
        }
        return FromBinary(body.ReadSpan(body.Left).ToArray(), manifest) as IWithSessionId
            ?? throw new SerializationException($"a '{manifest}' in a batch, which carries only messages to sessions");
    }

    private static int Index(int index, int refs) =>
        index >= 0 && index < refs ? index : throw new SerializationException($"ref {index} of a batch of {refs}");
}
