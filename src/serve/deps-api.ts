// The dependency graph of a server's states over HTTP (`/api/v1/deps[...]`, see README.md): the graph, add, remove,
// acknowledge, status and order, states named by logic id. Guarantees: thin over PostgresDepsStore and the library
// (status and order are the same functions the local CLI uses); every deps refusal is a ServeError with the deps
// code (DEPS_CYCLE 409 with `cycle`, DEPS_EDGE_EXISTS 409, DEPS_EDGE_NOT_FOUND 404, DEPS_INPUT 400).

import { DepsCycleError, DepsEdgeExistsError, DepsEdgeNotFoundError, DepsInputError } from '../deps/deps-errors.js';
import type { PostgresDepsStore } from '../deps/postgres-deps-store.js';
import { replanOrder } from '../deps/replan-order.js';
import { stateStatuses } from '../deps/state-status.js';
import { notAllowed, ServeError } from './serve-errors.js';

/** An answer to send: status and JSON body. */
export interface DepsAnswer {
  readonly status: number;
  readonly body: unknown;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function badRequest(message: string): ServeError {
  return new ServeError('DEPS_INPUT', 400, message);
}

function parse(body: Buffer, shape: string): Record<string, unknown> {
  let o: unknown;
  try {
    o = JSON.parse(body.toString('utf8'));
  } catch {
    throw badRequest(`the body is not JSON ${shape}`);
  }
  if (!isObject(o)) throw badRequest(`the body must be ${shape}`);
  return o;
}

function text(o: Record<string, unknown>, key: string, shape: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v === '') throw badRequest(`"${key}" must be a non-empty string: ${shape}`);
  return v;
}

/** The library's typed refusals as the server's answers. */
function asServeError(error: unknown): unknown {
  if (error instanceof DepsCycleError) return new ServeError('DEPS_CYCLE', 409, error.message, { detail: { cycle: error.cycle }, cause: error });
  if (error instanceof DepsEdgeExistsError) return new ServeError('DEPS_EDGE_EXISTS', 409, error.message, { cause: error });
  if (error instanceof DepsEdgeNotFoundError) return new ServeError('DEPS_EDGE_NOT_FOUND', 404, error.message, { cause: error });
  if (error instanceof DepsInputError) return new ServeError('DEPS_INPUT', 400, error.message, { cause: error });
  return error;
}

/**
 * Answers `method` on `/api/v1/deps/<parts...>`. `body()` reads the request body (only for the methods that take one).
 * Each costs what the store's call costs: O(edges + the producers' outputs) for the graph, status and order.
 * @throws ServeError
 */
export async function depsApi(deps: PostgresDepsStore, method: string, parts: readonly string[], query: URLSearchParams, body: () => Promise<Buffer>): Promise<DepsAnswer> {
  const allow = (allowed: readonly string[]): void => {
    if (!allowed.includes(method)) throw notAllowed(method, allowed);
  };
  try {
    const [first, ...rest] = parts;
    if (first === undefined) {
      allow(['GET', 'POST']);
      if (method === 'GET') return { status: 200, body: (await deps.graph()).toJson() };
      const shape = '{"producer", "output", "consumer", "input"?, "mock"?}';
      const o = parse(await body(), shape);
      if (o['input'] !== undefined && typeof o['input'] !== 'string') throw badRequest(`"input" must be a string: ${shape}`);
      const edge = await deps.add({
        producer: text(o, 'producer', shape),
        output: text(o, 'output', shape),
        consumer: text(o, 'consumer', shape),
        ...(typeof o['input'] === 'string' ? { input: o['input'] } : {}),
        ...(o['mock'] !== undefined ? { mock: o['mock'] } : {}),
      });
      return { status: 201, body: edge };
    }
    if (rest.length === 0 && first === 'ack') {
      allow(['POST']);
      return { status: 200, body: { acknowledged: await deps.acknowledge(text(parse(await body(), '{"consumer"}'), 'consumer', '{"consumer"}')) } };
    }
    if (rest.length === 0 && (first === 'status' || first === 'order')) {
      allow(['GET']);
      const graph = await deps.graph();
      const named = query.get(first === 'status' ? 'state' : 'from') ?? undefined;
      // NOTE: the names of the graph are logic ids; a state named by its guid is looked up to its logic id.
      const name = named === undefined ? undefined : await deps.logicId(named);
      if (first === 'order') return { status: 200, body: replanOrder(graph, name) };
      return { status: 200, body: stateStatuses(graph, name) };
    }
    if (rest.length === 2) {
      allow(['DELETE']);
      await deps.remove(first, rest[0] as string, rest[1] as string);
      return { status: 200, body: { removed: true } };
    }
    throw new ServeError('NOT_FOUND', 404, `no such endpoint: /api/v1/deps/${parts.join('/')}`);
  } catch (error) {
    throw asServeError(error);
  }
}
