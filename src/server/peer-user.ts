/**
 * Which local user holds the other end of a loopback connection. Linux lists every TCP socket with its owner's uid in
 * /proc/net/tcp and tcp6 (readable by all users, uids included); the client's socket is the one whose local port is
 * the connection's remote port and whose remote port is the server's.
 */
import fs from 'node:fs';
import type { Socket } from 'node:net';

const ESTABLISHED = '01';

function hexPort(port: number): string {
  return port.toString(16).toUpperCase().padStart(4, '0');
}

/** The uid of the process that owns the client end of `socket`, or null when it cannot be told (not Linux, not local). */
export function loopbackPeerUid(socket: Pick<Socket, 'remotePort' | 'localPort' | 'remoteAddress'>): number | null {
  if (process.platform !== 'linux' || !socket.remotePort || !socket.localPort) return null;
  const address = socket.remoteAddress ?? '';
  if (!/^(?:127\.|::1$|::ffff:127\.)/.test(address)) return null;
  const clientPort = hexPort(socket.remotePort);
  const serverPort = hexPort(socket.localPort);
  const uids = new Set<number>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = fs.readFileSync(table, 'latin1');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      // sl, local address:port, remote address:port, state, tx:rx, tr:when, retransmits, uid, ...
      const f = line.trim().split(/\s+/);
      if (f.length < 8 || f[3] !== ESTABLISHED) continue;
      if (f[1]?.endsWith(`:${clientPort}`) && f[2]?.endsWith(`:${serverPort}`)) uids.add(Number(f[7]));
    }
  }
  // Two sockets of different users on one port pair cannot both be this connection: then nothing is known.
  return uids.size === 1 ? ([...uids][0] as number) : null;
}
