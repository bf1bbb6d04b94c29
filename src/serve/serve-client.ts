// The client of a velocity server's JSON API (/api/v1/states), for the `velocity state` commands. Guarantees: a
// refusal by the server becomes a ServeClientError carrying the server's stable `code`; an unreachable server is
// SERVE_UNREACHABLE, never a raw fetch error.

import { VelocityError } from '../errors.js';
import type { StateSummary, StateVersion, WriteResult } from './state-store.js';

/** The server refused (its code), or could not be reached (SERVE_UNREACHABLE, SERVE_BAD_URL, SERVE_BAD_ANSWER). */
export class ServeClientError extends VelocityError {
  readonly status: number | undefined;
  constructor(code: string, message: string, status?: number, options?: { cause?: unknown }) {
    super(code, message, options);
    this.status = status;
  }
}

type Json<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | null ? string | null : T[K] };

/** Calls one server; every method is one HTTP request. */
export class ServeClient {
  readonly #base: string;
  readonly #auth: string | undefined;

  constructor(server: string, token?: string) {
    let u: URL;
    try {
      u = new URL(server);
    } catch (error) {
      throw new ServeClientError('SERVE_BAD_URL', `--server must be a URL such as http://127.0.0.1:8080, not ${JSON.stringify(server)}`, undefined, { cause: error });
    }
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ServeClientError('SERVE_BAD_URL', `--server must be http:// or https://, not ${JSON.stringify(server)}`);
    this.#base = server.replace(/\/+$/, '');
    this.#auth = token === undefined ? undefined : `Basic ${Buffer.from(`velocity:${token}`).toString('base64')}`;
  }

  get server(): string {
    return this.#base;
  }

  async #call<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.#base}${path}`, {
        method,
        headers: { ...(this.#auth ? { authorization: this.#auth } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(60_000),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
      throw new ServeClientError('SERVE_UNREACHABLE', `cannot reach the velocity server at ${this.#base} (${cause}); is \`velocity serve\` running?`, undefined, { cause: error });
    }
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ServeClientError('SERVE_BAD_ANSWER', `${this.#base} answered ${res.status} with something that is not JSON: is it a velocity server?`, res.status);
    }
    if (!res.ok) {
      const o = parsed as { code?: unknown; message?: unknown };
      throw new ServeClientError(typeof o.code === 'string' ? o.code : `HTTP_${res.status}`, typeof o.message === 'string' ? o.message : `HTTP ${res.status}`, res.status);
    }
    return parsed as T;
  }

  create(guid: string, logicId: string): Promise<Json<StateSummary>> {
    return this.#call('POST', '/api/v1/states', { guid, logic_id: logicId });
  }
  list(): Promise<Json<StateSummary>[]> {
    return this.#call('GET', '/api/v1/states');
  }
  get(idOrLogicId: string): Promise<Json<StateSummary>> {
    return this.#call('GET', `/api/v1/states/${encodeURIComponent(idOrLogicId)}`);
  }
  history(idOrLogicId: string): Promise<Json<StateVersion>[]> {
    return this.#call('GET', `/api/v1/states/${encodeURIComponent(idOrLogicId)}/history`);
  }
  rollback(idOrLogicId: string, serial: number): Promise<WriteResult> {
    return this.#call('POST', `/api/v1/states/${encodeURIComponent(idOrLogicId)}/rollback`, { serial });
  }
}
