// Types for socketpeer.mjs (the ES module entry); see socketpeer.d.ts.
import { SocketPeer } from './socketpeer.js';
export * from './socketpeer.js';
export { SocketPeer };
export default SocketPeer;
export declare const randomPairCode: typeof SocketPeer.randomPairCode;
