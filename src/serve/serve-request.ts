// One JSON request to a velocity server's state API on behalf of a client (the resource locks, subgraph writes).
// Guarantees: bounded by a timeout; a server that cannot be reached or answers no JSON is a ServeClientError
// (SERVE_UNREACHABLE, SERVE_BAD_ANSWER), never a raw fetch error; any status is returned to the caller to judge.

import type { BackendAuth, VelocityBackend } from './detect-velocity-backend.js';
import { ServeClientError } from './serve-client.js';

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
  const authorization = authorizationOf(backend.auth);
  const payload = options.text ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const timeout = AbortSignal.timeout(options.timeoutMs ?? 30_000);
  const url = `${backend.origin}${path}`;
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
    throw new ServeClientError('SERVE_UNREACHABLE', `${method} ${url} failed (${cause}); is \`velocity serve\` running?`, undefined, { cause: error });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  // NOTE: GET /locks answers an array: wrapped as `items` so every answer is an object.
  if (Array.isArray(body)) return { status: res.status, body: { items: body } };
  if (typeof body !== 'object' || body === null) throw new ServeClientError('SERVE_BAD_ANSWER', `${method} ${url} answered ${res.status} with something that is not JSON: ${text.slice(0, 200)}`, res.status);
  return { status: res.status, body: body as Record<string, unknown> };
}
