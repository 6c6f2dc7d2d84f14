// Raw HTTP requests with full control over Host and Origin (fetch would not let a test forge them).
import http from 'node:http';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  json<T = unknown>(): T;
}

export interface RawRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

export function request(base: string, path: string, options: RawRequest = {}): Promise<RawResponse> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname.replace(/^\[|\]$/g, ''), port: url.port, path, method: options.method ?? 'GET', headers: options.headers ?? {}, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** The headers the dashboard page sends on a POST: its own Origin and the token from its meta tag. */
export function pageHeaders(base: string, token: string): Record<string, string> {
  return { Origin: new URL(base).origin, 'X-TCE-Token': token };
}

/**
 * Reads server-sent events from `path` until `until` returns true for the list so far (and the raw text, comments
 * such as heartbeats included); then disconnects.
 */
export function readEvents(
  base: string,
  path: string,
  until: (events: Array<{ event: string; data: string }>, raw: string) => boolean,
  timeoutMs = 20_000,
  headers: Record<string, string> = {},
): Promise<{ events: Array<{ event: string; data: string }>; headers: http.IncomingHttpHeaders; raw: string }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const events: Array<{ event: string; data: string }> = [];
    let raw = '';
    let buffer = '';
    let finished = false;
    const req = http.get({ host: url.hostname, port: url.port, path: url.pathname, agent: false, headers }, (res) => {
      if (res.statusCode !== 200) {
        finished = true;
        req.destroy();
        reject(new Error(`event stream answered ${res.statusCode}`));
        return;
      }
      const timer = setTimeout(() => {
        finished = true;
        req.destroy();
        reject(new Error(`no matching events within ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.event))}; raw start ${raw.slice(0, 200)}`));
      }, timeoutMs);
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        raw += chunk;
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let event = 'message';
          const data: string[] = [];
          let hasData = false;
          for (const line of block.split('\n')) {
            if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) {
              data.push(line.slice(6));
              hasData = true;
            }
          }
          if (hasData) events.push({ event, data: data.join('\n') });
        }
        if (!finished && until(events, raw)) {
          finished = true;
          clearTimeout(timer);
          req.destroy();
          resolve({ events, headers: res.headers, raw });
        }
      });
      res.on('end', () => {
        clearTimeout(timer);
        if (!finished) {
          finished = true;
          reject(new Error(`the server ended the event stream after ${events.length} events`));
        }
      });
      res.on('error', () => undefined);
    });
    req.on('error', (error) => {
      if (!finished) reject(error);
    });
  });
}
