/**
 * Which local user holds the other end of a loopback connection. Linux lists every TCP socket with its owner's uid in
 * /proc/net/tcp and tcp6 (readable by all users, uids included); the client's socket is the one whose local address
 * and port are the connection's remote ones, and whose remote port is the server's.
 */
import fs from 'node:fs';
import type { Socket } from 'node:net';

const ESTABLISHED = '01';

function hexPort(port: number): string {
  return port.toString(16).toUpperCase().padStart(4, '0');
}

/** An IPv4 address as /proc/net/tcp writes it: the 32-bit word in the kernel's (little-endian) byte order. */
function hexV4(address: string): string {
  return address
    .split('.')
    .reverse()
    .map((part) => Number(part).toString(16).toUpperCase().padStart(2, '0'))
    .join('');
}

/** Where a loopback address appears, and how; null for any other address. */
function tableEntry(address: string): { table: string; hex: string } | null {
  if (/^127\.\d+\.\d+\.\d+$/.test(address)) return { table: '/proc/net/tcp', hex: hexV4(address) };
  const mapped = /^::ffff:(127\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return { table: '/proc/net/tcp6', hex: `0000000000000000FFFF0000${hexV4(mapped[1] as string)}` };
  if (address === '::1') return { table: '/proc/net/tcp6', hex: '00000000000000000000000001000000' };
  return null;
}

/**
 * The uid of the process that owns the client end of `socket`: a number; `unknown` when the tables were read but name
 * no single owner (then nothing may be taken on trust); null when it cannot be told here (not Linux, not loopback, no
 * tables).
 */
export function loopbackPeerUid(socket: Pick<Socket, 'remotePort' | 'localPort' | 'remoteAddress'>): number | 'unknown' | null {
  if (process.platform !== 'linux' || !socket.remotePort || !socket.localPort) return null;
  const client = tableEntry(socket.remoteAddress ?? '');
  if (!client) return null;
  let text: string;
  try {
    text = fs.readFileSync(client.table, 'latin1');
  } catch {
    return null;
  }
  const local = `${client.hex}:${hexPort(socket.remotePort)}`;
  const serverPort = `:${hexPort(socket.localPort)}`;
  const uids = new Set<number>();
  for (const line of text.split('\n')) {
    // sl, local address:port, remote address:port, state, tx:rx, tr:when, retransmits, uid, ...
    const f = line.trim().split(/\s+/);
    if (f.length >= 8 && f[3] === ESTABLISHED && f[1] === local && f[2]?.endsWith(serverPort)) uids.add(Number(f[7]));
  }
  return uids.size === 1 ? ([...uids][0] as number) : 'unknown';
}
