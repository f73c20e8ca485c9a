// ES module entry of the SocketPeer browser client.
//
//   import SocketPeer from '/socketpeer/socketpeer.mjs';
//   // or: import { SocketPeer } from '/socketpeer/socketpeer.mjs';
//
// The implementation lives in socketpeer.js, a file that is valid both as a
// classic script and as module code. Importing it here runs it once (module
// instances are cached per URL) and it installs `globalThis.SocketPeer`, which
// this module re-exports. A page that also loads socketpeer.js with a classic
// <script> tag gets the same class: the file installs itself only once.
import './socketpeer.js';

const SocketPeer = globalThis.SocketPeer;

export { SocketPeer };
export const randomPairCode = SocketPeer.randomPairCode;
export default SocketPeer;
