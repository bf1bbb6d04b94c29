// Test support: a pass-through proxy in front of a state server that holds the requests a predicate picks (body
// read, no answer) until the test forwards them to the server or drops them; everything else passes. For kill tests
// that need a client dead while its write is in flight. Guarantees: close() drops whatever is still held.
import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';

/** A held request: its method, URL and body, and what to do with it. */
export interface HeldRequest {
  readonly method: string;
  readonly url: string;
  readonly body: Buffer;
  /** Sends it to the server now; resolves with the server's status (the answer goes to the client if it is still there). */
  forward(): Promise<number>;
  /** Cuts the client's connection; the server never sees the request. */
  drop(): void;
}

export interface HoldingProxy {
  readonly url: string;
  readonly held: HeldRequest[];
  close(): Promise<void>;
}

/** Starts the proxy on 127.0.0.1; `hold(req, body)` picks the requests to hold. O(1) per request plus its body. */
export async function holdingProxy(target: string, hold: (req: IncomingMessage, body: Buffer) => boolean): Promise<HoldingProxy> {
  const held: HeldRequest[] = [];
  const pass = (req: IncomingMessage, body: Buffer, res: ServerResponse): Promise<number> =>
    new Promise((ok) => {
      const out = request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (up) => {
        if (!res.destroyed) res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        up.on('end', () => ok(up.statusCode ?? 502));
      });
      out.on('error', () => {
        res.destroy();
        ok(0);
      });
      out.end(body);
    });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      if (!hold(req, body)) {
        void pass(req, body, res);
        return;
      }
      held.push({ method: req.method ?? '', url: req.url ?? '', body, forward: () => pass(req, body, res), drop: () => res.destroy() });
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}`,
    held,
    close: () =>
      new Promise<void>((ok) => {
        for (const h of held.splice(0)) h.drop();
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
