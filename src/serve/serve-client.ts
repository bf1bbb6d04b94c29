// The client of a velocity server's JSON API (/api/v1/states, /api/v1/deps), for the `velocity state` and
// `velocity deps --server` commands. Guarantees: a refusal by the server becomes a ServeClientError carrying the
// server's stable `code`, except a deps refusal, which is the local graph's error of that code (depsRefusal); an
// unreachable server is SERVE_UNREACHABLE, never a raw fetch error.

import type { VelocityError } from '../errors.js';
import { DepsFileError, DepsInputError } from '../deps/deps-errors.js';
import { DepsGraph, type DepEdge } from '../deps/deps-graph.js';
import { depsRefusal } from './deps-refusal.js';
import { ServeClientError } from './serve-errors.js';
import { fetchJson } from './serve-request.js';

export { ServeClientError } from './serve-errors.js';
import type { StateSummary, StateVersion, WriteResult } from './state-store.js';

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

  async #call<T>(method: string, path: string, body?: unknown, refusal?: (body: unknown) => VelocityError | undefined): Promise<T> {
    const res = await fetchJson(`${this.#base}${path}`, method, { authorization: this.#auth, ...(body === undefined ? {} : { payload: JSON.stringify(body) }), timeoutMs: 60_000 });
    if (!res.json) throw new ServeClientError('SERVE_BAD_ANSWER', `${this.#base} answered ${res.status} with something that is not JSON: is it a velocity server?`, res.status);
    const parsed = res.body;
    if (res.status < 200 || res.status > 299) {
      const mapped = refusal?.(parsed);
      if (mapped !== undefined) throw mapped;
      const o = (parsed ?? {}) as { code?: unknown; message?: unknown };
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

  /**
   * A state as the server's dependency graph names it: the logic id of `name` (a logic id or a guid). One request.
   * @throws DepsInputError when the server has no such state (as the local graph refuses an unknown state)
   */
  async depsState(name: string): Promise<string> {
    try {
      return (await this.get(name)).logicId;
    } catch (error) {
      if (error instanceof ServeClientError && error.code === 'STATE_NOT_FOUND') throw new DepsInputError(`no state ${JSON.stringify(name)} on ${this.#base}`);
      throw error;
    }
  }
  /** The server's dependency graph (edges by logic id, producers' current outputs). One request, O(edges). */
  async depsGraph(): Promise<DepsGraph> {
    const body = await this.#call<unknown>('GET', '/api/v1/deps', undefined, depsRefusal);
    try {
      return DepsGraph.fromJson(body, `${this.#base}/api/v1/deps`);
    } catch (error) {
      if (!(error instanceof DepsFileError)) throw error;
      throw new ServeClientError('SERVE_BAD_ANSWER', `${this.#base} answered GET /api/v1/deps with something that is not a dependency graph: ${error.message}`, 200, { cause: error });
    }
  }
  /** Adds an edge (states by logic id or guid). @throws DepsInputError, DepsEdgeExistsError, DepsCycleError */
  depsAdd(edge: { readonly producer: string; readonly output: string; readonly consumer: string; readonly input?: string; readonly mock?: unknown }): Promise<DepEdge> {
    return this.#call('POST', '/api/v1/deps', edge, depsRefusal);
  }
  /** Removes the edge producer.output -> consumer. @throws DepsEdgeNotFoundError, DepsInputError */
  async depsRemove(producer: string, output: string, consumer: string): Promise<void> {
    await this.#call('DELETE', `/api/v1/deps/${[producer, output, consumer].map(encodeURIComponent).join('/')}`, undefined, depsRefusal);
  }
  /** The consumer applied: its incoming edges observe their producers' current outputs. Returns how many changed. */
  async depsAck(consumer: string): Promise<number> {
    const r = await this.#call<{ acknowledged?: unknown }>('POST', '/api/v1/deps/ack', { consumer }, depsRefusal);
    if (typeof r?.acknowledged !== 'number') throw new ServeClientError('SERVE_BAD_ANSWER', `${this.#base} answered POST /api/v1/deps/ack without a count`, 200);
    return r.acknowledged;
  }
}
