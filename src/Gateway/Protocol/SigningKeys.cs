namespace SocketPeer.Gateway.Protocol;

/// <summary>
/// Names a signing secret inside what it signs, so that the verifier picks the secret by name and a
/// rotation can keep old and new secrets valid together: 1 to 32 of <c>A-Z a-z 0-9 . _ -</c>.
/// Not secret. Any signed token of the protocol uses it (resume tokens; join tokens later).
/// </summary>
public readonly record struct KeyId
{
    public const int MaxLength = 32;

    public KeyId(string value)
    {
        if (!IsValid(value)) throw new ArgumentException($"'{value}' is no key id: 1 to {MaxLength} of A-Z a-z 0-9 . _ -", nameof(value));
        Value = value;
    }

    public string Value { get; }

    public static bool IsValid(string? value) =>
        !string.IsNullOrEmpty(value) && value.Length <= MaxLength
        && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    public override string ToString() => Value;
}

/// <summary>A named secret (<see cref="KeyId"/>); its bytes are never logged.</summary>
public sealed class SigningKey
{
    public SigningKey(KeyId id, byte[] secret, int minBytes = 32)
    {
        if (secret.Length < minBytes) throw new ArgumentException($"a signing secret needs at least {minBytes} bytes", nameof(secret));
        Id = id;
        Secret = secret;
    }

    public KeyId Id { get; }

    public byte[] Secret { get; }

    public override string ToString() => $"key {Id}";
}

/// <summary>
/// The secrets a token kind is signed and checked with: new tokens are signed with
/// <see cref="Current"/>; a token is checked with whichever key its id names, the current one or a
/// previous one still configured. A rotation adds the new key as current and keeps the old one as
/// previous for at least the tokens' lifetime, so that no token in a client's hands fails meanwhile.
/// </summary>
public sealed class SigningKeys
{
    private readonly SigningKey[] _all;

    public SigningKeys(SigningKey current, IEnumerable<SigningKey>? previous = null)
    {
        Current = current;
        _all = [current, .. previous ?? []];
        var ids = _all.Select(k => k.Id).ToList();
        if (ids.Distinct().Count() != ids.Count)
            throw new ArgumentException("two signing keys share an id", nameof(previous));
    }

    /// <summary>The key new tokens are signed with.</summary>
    public SigningKey Current { get; }

    /// <summary>Every key a token may be checked with, the current one first.</summary>
    public IReadOnlyList<SigningKey> All => _all;

    /// <summary>The key of <paramref name="id"/>, or null when none of that id is configured (any more).</summary>
    public SigningKey? Find(KeyId id) => Array.Find(_all, k => k.Id == id);
}
