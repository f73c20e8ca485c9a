using System.Collections;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SocketPeer.Actors.Sessions;

/// <summary>
/// The effects of one <see cref="SessionTransition"/>, in order: a value that holds up to two of them
/// inline and more in an array. A relay or an ack (the hot path) has one, so it allocates no list
/// for it (docs/benchmarks.md, "The session machine's cost per relayed message"). Indexing and
/// <c>foreach</c> allocate nothing; as an <see cref="IReadOnlyList{T}"/> it is boxed, for callers
/// (tests, LINQ) that want one.
/// </summary>
[CollectionBuilder(typeof(SessionEffects), nameof(Of))]
public readonly struct SessionEffects : IReadOnlyList<SessionEffect>
{
    private readonly SessionEffect? _first;
    private readonly SessionEffect? _second;
    private readonly SessionEffect[]? _more;

    private SessionEffects(SessionEffect? first, SessionEffect? second, SessionEffect[]? more, int count)
    {
        _first = first;
        _second = second;
        _more = more;
        Count = count;
    }

    public static SessionEffects None => default;

    /// <summary>The effects of <paramref name="effects"/>, copied: inline for up to two, in an array beyond.</summary>
    public static SessionEffects Of(ReadOnlySpan<SessionEffect> effects) => effects.Length switch
    {
        0 => default,
        1 => new(effects[0], null, null, 1),
        2 => new(effects[0], effects[1], null, 2),
        _ => new(null, null, effects.ToArray(), effects.Length),
    };

    /// <summary>The effects gathered in <paramref name="effects"/>, copied (the cold paths that build a list).</summary>
    public static SessionEffects Of(List<SessionEffect> effects) => Of(CollectionsMarshal.AsSpan(effects));

    public int Count { get; }

    public SessionEffect this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
            return _more is not null ? _more[index] : index == 0 ? _first! : _second!;
        }
    }

    public Enumerator GetEnumerator() => new(this);

    IEnumerator<SessionEffect> IEnumerable<SessionEffect>.GetEnumerator()
    {
        for (var i = 0; i < Count; i++) yield return this[i];
    }

    IEnumerator IEnumerable.GetEnumerator() => ((IEnumerable<SessionEffect>)this).GetEnumerator();

    public override string ToString() => $"[{string.Join(", ", (IEnumerable<SessionEffect>)this)}]";

    /// <summary>A <c>foreach</c> over the effects that allocates nothing.</summary>
    public struct Enumerator(SessionEffects effects)
    {
        private int _index = -1;

        public readonly SessionEffect Current => effects[_index];

        public bool MoveNext() => ++_index < effects.Count;
    }
}
