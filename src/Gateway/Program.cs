using SocketPeer.Gateway.Hosting;

// What the host is made of, in order, is SocketPeerApp.Create (tests build the same host).
SocketPeerApp.Create(args).Run();
