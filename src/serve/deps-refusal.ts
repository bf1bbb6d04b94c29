// A velocity server's refusal of a deps request, as the error the local graph throws for the same failure
// (src/deps/deps-errors.ts): DEPS_CYCLE (with its `cycle`), DEPS_EDGE_EXISTS, DEPS_EDGE_NOT_FOUND, DEPS_INPUT.
// Guarantees: the same class and code whatever the store; any other refusal is left to the caller (undefined).

import type { VelocityError } from '../errors.js';
import { DepsCycleError, DepsEdgeExistsError, DepsEdgeNotFoundError, DepsInputError } from '../deps/deps-errors.js';

/** The refusal body `{code, message, ...}` as the deps error of its code, or undefined when it is none. O(cycle). */
export function depsRefusal(body: unknown): VelocityError | undefined {
  if (body === null || typeof body !== 'object') return undefined;
  const { code, message, cycle } = body as { code?: unknown; message?: unknown; cycle?: unknown };
  const text = typeof message === 'string' ? message : String(code);
  switch (code) {
    case 'DEPS_CYCLE':
      // A cycle the server does not name cannot become a DepsCycleError (whose callers read `cycle`).
      return Array.isArray(cycle) && cycle.length >= 2 && cycle.every((s) => typeof s === 'string') ? new DepsCycleError(cycle as string[]) : undefined;
    case 'DEPS_EDGE_EXISTS':
      return new DepsEdgeExistsError(text);
    case 'DEPS_EDGE_NOT_FOUND':
      return new DepsEdgeNotFoundError(text);
    case 'DEPS_INPUT':
      return new DepsInputError(text);
    default:
      return undefined;
  }
}
