/**
 * Requests to a remote machine's TCE server, with its token as `Authorization: Bearer` (never in a URL, a message or
 * a log). Certificates of https servers are always verified (`rejectUnauthorized: true`, whatever
 * NODE_TLS_REJECT_UNAUTHORIZED says; a private CA goes in NODE_EXTRA_CA_CERTS). Every request has a deadline and a
 * size limit, and redirects are not followed (the token would go along).
 */
import type https from 'node:https';
import type { RemoteMachine } from '../settings/types.js';

/** A request that got no usable answer; the message says why in words a user can act on, and never holds the token. */
export class RemoteError extends Error {
  override name = 'RemoteError';

  constructor(
    message: string,
    /** The HTTP status, when the server answered. */
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

export interface RemoteAnswer {
  status: number;
  /** The answer's JSON (an object for every TCE route). */
  body: unknown;
}

export interface RequestLimits {
  /** The whole request, from connecting to the last byte. */
  timeoutMs: number;
  maxBytes: number;
  /** Ends the request at once (the fleet stops). */
  signal?: AbortSignal;
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
]);

/** Why a connection failed, in the user's terms. */
function networkProblem(error: NodeJS.ErrnoException, url: URL): string {
  const code = error.code ?? '';
  if (code === 'ECONNREFUSED') return `connection refused at ${url.host} (is \`tce dashboard\` running there, or the SSH tunnel up?)`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `no such host: ${url.hostname}`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return `${url.hostname} cannot be reached from here (${code})`;
  if (code === 'ECONNRESET' || code === 'EPIPE') return `the connection to ${url.host} was cut (${code})`;
  if (TLS_CODES.has(code)) {
    return `its TLS certificate is not trusted (${code}: ${error.message}); TCE always verifies certificates: give it your CA with NODE_EXTRA_CA_CERTS`;
  }
  if (error instanceof RemoteError) return error.message;
  return `${error.message}${code && !error.message.includes(code) ? ` (${code})` : ''}`;
}

/** `api/machine` against the remote's URL (which may have a path: a server behind a proxy under /tce/). */
export function remoteTarget(remote: RemoteMachine, path: string): URL {
  return new URL(path, remote.url);
}

export function requestRemote(remote: RemoteMachine, token: string, method: 'GET' | 'POST', path: string, limits: RequestLimits): Promise<RemoteAnswer> {
  const url = remoteTarget(remote, path);
  const secure = url.protocol === 'https:';
  const headers: Record<string, string> = { Accept: 'application/json', Authorization: `Bearer ${token}` };
  if (method === 'POST') headers['Content-Length'] = '0';
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (fn: () => void) => {
      if (done) return;
      done = true;
      clearTimeout(deadline);
      fn();
    };
    const options: https.RequestOptions = { method, headers, ...(limits.signal ? { signal: limits.signal } : {}) };
    // Explicit, so no environment variable can turn verification off for TCE's requests.
    if (secure) options.rejectUnauthorized = true;
    // Taken when a request is made: importing node:http and node:https loads undici and TLS (~15 ms of every `tce`
    // run that opens the core, remote machines or not).
    const transport = secure ? process.getBuiltinModule('node:https') : process.getBuiltinModule('node:http');
    const req = transport.request(url, options, (res) => {
      const status = res.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        res.resume();
        const location = typeof res.headers.location === 'string' ? ` to ${res.headers.location}` : '';
        finish(() => reject(new RemoteError(`it answered with a redirect${location}; give its final URL in the settings`, status)));
        req.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limits.maxBytes) {
          finish(() => reject(new RemoteError(`its answer is larger than ${Math.round(limits.maxBytes / 1024 / 1024)} MB`, status)));
          req.destroy();
          return;
        }
        chunks.push(chunk);
      });
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown;
        try {
          body = JSON.parse(text);
        } catch {
          finish(() => reject(new RemoteError(`it answered ${status} with something that is not JSON (is ${remote.url} a TCE dashboard?)`, status)));
          return;
        }
        finish(() => resolve({ status, body }));
      });
      res.on('error', (error: NodeJS.ErrnoException) => finish(() => reject(new RemoteError(networkProblem(error, url)))));
    });
    const deadline = setTimeout(() => {
      finish(() => reject(new RemoteError(`no answer from ${url.host} within ${limits.timeoutMs / 1000} s`)));
      req.destroy();
    }, limits.timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => finish(() => reject(new RemoteError(networkProblem(error, url)))));
    req.end();
  });
}

/** The message of an answer that is not a success: the server's own `{error}` words when it gave some. */
export function answerProblem(answer: RemoteAnswer, tokenFile: string): string {
  const said = typeof answer.body === 'object' && answer.body !== null && typeof (answer.body as { error?: unknown }).error === 'string' ? (answer.body as { error: string }).error.slice(0, 300) : '';
  if (answer.status === 401) return `it refused the token in ${tokenFile} (401): is that file this server's token?`;
  return `it answered ${answer.status}${said ? `: ${said}` : ''}`;
}
