// Test support: a small HTTP state server on 127.0.0.1 speaking Terraform's `http` backend protocol at `/state`
// (GET/POST/DELETE state; LOCK/UNLOCK with a JSON LockInfo body; 423 + holder's LockInfo when locked). One server
// for every test that needs a backend; `route` lets a test answer other paths itself (see slow-http-backend.ts).

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

export interface StateServer {
  readonly url: string;
  /** The current lock's LockInfo (parsed body of the LOCK that took it), if any. */
  lock(): Record<string, unknown> | undefined;
  /** Requests seen, as `METHOD path`. */
  readonly log: string[];
  close(): Promise<void>;
}

export interface StateServerOptions {
  /** Status of a refused LOCK (Terraform accepts 423 and 409). @default 423 */
  readonly conflictStatus?: 423 | 409;
  /** Answers a request itself and returns true, or returns false to leave it to the backend protocol. `body`: the request's body, read whole. */
  readonly route?: (req: IncomingMessage, res: ServerResponse, body: string) => boolean;
}

export async function startStateServer(options: StateServerOptions = {}): Promise<StateServer> {
  const conflictStatus = options.conflictStatus ?? 423;
  let state: string | undefined;
  let lock: Record<string, unknown> | undefined;
  const log: string[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      log.push(`${req.method} ${req.url}`);
      if (options.route?.(req, res, body)) return;
      const send = (status: number, text = '') => {
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(text);
      };
      switch (req.method) {
        case 'GET':
          return state === undefined ? send(404) : send(200, state);
        case 'POST':
          state = body;
          return send(200);
        case 'DELETE':
          state = undefined;
          return send(200);
        case 'LOCK': {
          if (lock) return send(conflictStatus, JSON.stringify(lock));
          lock = JSON.parse(body) as Record<string, unknown>;
          return send(200);
        }
        case 'UNLOCK': {
          const asked = body ? (JSON.parse(body) as Record<string, unknown>) : {};
          if (lock && asked['ID'] !== undefined && asked['ID'] !== '' && asked['ID'] !== lock['ID']) return send(conflictStatus, JSON.stringify(lock));
          lock = undefined;
          return send(200);
        }
        default:
          return send(405);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  return {
    url: `http://127.0.0.1:${port}/state`,
    lock: () => lock,
    log,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
