using Microsoft.Extensions.Logging;

namespace SocketPeer.Testing;

/// <summary>
/// A logger provider for a test host (<c>builder.Logging.AddProvider</c>): completes <see cref="First"/>
/// with the first logged message that contains a text, at any level.
/// </summary>
public sealed class CapturedLogs(string text) : ILoggerProvider, ILogger
{
    private readonly TaskCompletionSource<string> _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<string> First => _first.Task;

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var message = formatter(state, exception);
        if (message.Contains(text, StringComparison.Ordinal))
            _first.TrySetResult(message);
    }

    public void Dispose()
    {
    }
}
