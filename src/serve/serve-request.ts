// One JSON request to a velocity server on behalf of a client: the state API (resource locks, subgraph writes) and,
// through fetchJson, ServeClient's JSON API.
// Guarantees: bounded by a timeout; a server that cannot be reached or answers no JSON is a ServeClientError
// (SERVE_UNREACHABLE, SERVE_BAD_ANSWER), never a raw fetch error; any status is returned to the caller to judge.

import type { BackendAuth, VelocityBackend } from './detect-velocity-backend.js';
import { ServeClientError } from './serve-errors.js';

/** A server's answer: its status and its JSON body. */
export interface ServeAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** `Authorization` header value for `auth`, or undefined. O(1). */
export function authorizationOf(auth: BackendAuth | undefined): string | undefined {
  return auth === undefined ? undefined : `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
}

/**
 * `method` `<origin><path>` with `body` (a value, sent as JSON, or text already serialized). O(body) plus one round
 * trip. @throws ServeClientError SERVE_UNREACHABLE (no answer within `timeoutMs`), SERVE_BAD_ANSWER (not a JSON object)
 */
export async function serveRequest(
  backend: VelocityBackend, method: string, path: string,
  options: { readonly body?: unknown; readonly text?: string; readonly timeoutMs?: number; readonly signal?: AbortSignal } = {},
): Promise<ServeAnswer> {
  const payload = options.text ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const url = `${backend.origin}${path}`;
  const res = await fetchJson(url, method, { authorization: authorizationOf(backend.auth), ...(payload === undefined ? {} : { payload }), timeoutMs: options.timeoutMs ?? 30_000, ...(options.signal ? { signal: options.signal } : {}) });
  // NOTE: GET /locks answers an array: wrapped as `items` so every answer is an object.
  if (res.json && Array.isArray(res.body)) return { status: res.status, body: { items: res.body } };
  if (!res.json || typeof res.body !== 'object' || res.body === null) throw new ServeClientError('SERVE_BAD_ANSWER', `${method} ${url} answered ${res.status} with something that is not JSON: ${res.text.slice(0, 200)}`, res.status);
  return { status: res.status, body: res.body as Record<string, unknown> };
}

/**
 * The one HTTP exchange of every velocity client (ServeClient, serveRequest): `method` `url` with a JSON `payload`,
 * bounded by `timeoutMs` (and `signal`); the answer's status, text, and body when it is JSON. O(payload + answer).
 * @throws ServeClientError SERVE_UNREACHABLE (no answer in time, or no server)
 */
export async function fetchJson(
  url: string, method: string,
  options: { readonly authorization?: string | undefined; readonly payload?: string; readonly timeoutMs: number; readonly signal?: AbortSignal },
): Promise<{ status: number; text: string; json: boolean; body: unknown }> {
  const { payload, authorization } = options;
  const timeout = AbortSignal.timeout(options.timeoutMs);
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      method,
      headers: { ...(authorization ? { authorization } : {}), ...(payload === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(payload === undefined ? {} : { body: payload }),
      signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
    });
    text = await res.text();
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message;
    throw new ServeClientError('SERVE_UNREACHABLE', `cannot reach the velocity server: ${method} ${url} failed (${cause}); is \`velocity serve\` running?`, undefined, { cause: error });
  }
  try {
    return { status: res.status, text, json: true, body: JSON.parse(text) as unknown };
  } catch {
    return { status: res.status, text, json: false, body: undefined };
  }
}
