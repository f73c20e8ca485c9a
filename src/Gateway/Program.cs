using SocketPeer.Gateway.Hosting;

SocketPeerApp.Create(args).Run();
