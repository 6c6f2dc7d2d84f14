// Whose is a loopback connection: read from /proc/net/tcp{,6} on Linux, for the login link's check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { loopbackPeerUid } from '../../src/server/peer-user.js';

async function pair(host: string): Promise<{ server: net.Server; accepted: net.Socket; client: net.Socket }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const acceptedP = new Promise<net.Socket>((resolve) => server.once('connection', resolve));
  const client = net.connect((server.address() as net.AddressInfo).port, host);
  await new Promise<void>((resolve) => client.once('connect', resolve));
  return { server, accepted: await acceptedP, client };
}

test('names the user of the client end of a loopback connection, IPv4 and IPv6', { skip: process.platform !== 'linux' && 'Linux only' }, async () => {
  for (const host of ['127.0.0.1', '::1']) {
    const { server, accepted, client } = await pair(host);
    try {
      assert.equal(loopbackPeerUid(accepted), process.getuid?.(), host);
    } finally {
      client.destroy();
      accepted.destroy();
      server.close();
    }
  }
});

test('no socket with that address and port: unknown, never a guess; not loopback: not for it to tell', { skip: process.platform !== 'linux' && 'Linux only' }, async () => {
  const { server, accepted, client } = await pair('127.0.0.1');
  try {
    // The same ports from another loopback address (what someone could open beside the owner's connection) match nothing.
    assert.equal(loopbackPeerUid({ remoteAddress: '127.0.0.2', remotePort: accepted.remotePort, localPort: accepted.localPort }), 'unknown');
    assert.equal(loopbackPeerUid({ remoteAddress: '192.0.2.7', remotePort: 40000, localPort: accepted.localPort }), null);
  } finally {
    client.destroy();
    accepted.destroy();
    server.close();
  }
});
