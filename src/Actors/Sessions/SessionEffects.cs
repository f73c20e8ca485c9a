using System.Collections;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace SocketPeer.Actors.Sessions;

/// <summary>
/// The effects of one <see cref="SessionTransition"/>, in order: a value of one reference, to a single
/// effect or to an array of two or more. A relay or an ack (the hot path) has one effect, so it
/// allocates no array, and a transition is two references, which the runtime returns in registers
/// (docs/benchmarks.md, "The session machine's cost per relayed message"). Indexing and
/// <c>foreach</c> allocate nothing; as an <see cref="IReadOnlyList{T}"/> it is boxed, for callers
/// (tests, LINQ) that want one.
/// </summary>
[CollectionBuilder(typeof(SessionEffects), nameof(Of))]
public readonly struct SessionEffects : IReadOnlyList<SessionEffect>
{
    /// <summary>Null for none, a <see cref="SessionEffect"/> for one, a <c>SessionEffect[]</c> for more.</summary>
    private readonly object? _effects;

    private SessionEffects(object? effects) => _effects = effects;

    public static SessionEffects None => default;

    /// <summary>The effects of <paramref name="effects"/>, copied: inline for one, in an array beyond.</summary>
    public static SessionEffects Of(ReadOnlySpan<SessionEffect> effects) => effects.Length switch
    {
        0 => default,
        1 => new(effects[0]),
        _ => new(effects.ToArray()),
    };

    /// <summary>The effects gathered in <paramref name="effects"/>, copied (the cold paths that build a list).</summary>
    public static SessionEffects Of(List<SessionEffect> effects) => Of(CollectionsMarshal.AsSpan(effects));

    // An exact type test (what the runtime compares in one instruction): only Of makes the array.
    private SessionEffect[]? Many => _effects?.GetType() == typeof(SessionEffect[]) ? Unsafe.As<SessionEffect[]>(_effects) : null;

    public int Count => _effects is null ? 0 : Many?.Length ?? 1;

    public SessionEffect this[int index]
    {
        get
        {
            if (Many is { } many) return many[index];
            if (index != 0 || _effects is null) ThrowOutOfRange();
            return Unsafe.As<SessionEffect>(_effects);
        }
    }

    [DoesNotReturn]
    private static void ThrowOutOfRange() => throw new ArgumentOutOfRangeException("index");

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
        private readonly int _count = effects.Count;
        private int _index = -1;

        public readonly SessionEffect Current => effects[_index];

        public bool MoveNext() => ++_index < _count;
    }
}
