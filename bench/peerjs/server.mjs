// The PeerJS server as a benchmark baseline, on 127.0.0.1 only.
//   node --expose-gc server.mjs [PORT]   (0, the default, takes a free port and prints it)
// Its limits are raised past the benchmark's load (5,000 clients, a 60 s liveness timeout without
// heartbeats), as SocketPeer's are. A line "gc" on stdin collects garbage and answers on stdout with
// "MEMORY {rss, heapUsed, external}", which the harness reads for the idle footprint.
import { PeerServer } from "peer";
import { createInterface } from "node:readline";

const port = Number(process.argv[2] ?? 0);
PeerServer({
  host: "127.0.0.1",
  port,
  path: "/",
  key: "peerjs",
  concurrent_limit: 1_000_000,
  alive_timeout: 3_600_000,
}, (server) => console.log(`peerjs listening on 127.0.0.1:${server.address().port}`));

createInterface({ input: process.stdin }).on("line", (line) => {
  if (line.trim() !== "gc") return;
  globalThis.gc?.();
  const { rss, heapUsed, external } = process.memoryUsage();
  console.log(`MEMORY ${JSON.stringify({ rss, heapUsed, external })}`);
});
// The harness kills this process when its run ends; a closed stdin means the harness is gone.
process.stdin.on("end", () => process.exit(0));
