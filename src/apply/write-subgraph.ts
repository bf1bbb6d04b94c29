// Sends an applied sub-state to a velocity server as one subgraph write (or, before the apply, its checks only)
// under the caller's resource lock. Guarantees: a refusal is a typed error (STATE_MOVED as StateMovedError naming
// the kept sub-state, SUBGRAPH_NOT_HELD, SUBGRAPH_WRITE_REFUSED with the server's code); the server writes all or nothing.

import type { SubStateOwnership } from '../inject/sub-workspace-manifest.js';
import type { VelocityBackend } from '../serve/detect-velocity-backend.js';
import { serveRequest } from '../serve/serve-request.js';
import { StateMovedError, SubgraphNotHeldError, SubgraphWriteError } from './apply-errors.js';
import { subgraphBody } from './subgraph-body.js';

/** What the server wrote: the new version, its serial, and the rows closed and added. */
export interface SubgraphWritten {
  readonly version: number;
  readonly serial: number;
  readonly closed: number;
  readonly added: number;
}

export interface WriteSubgraphInput {
  readonly backend: VelocityBackend;
  readonly lockId: string;
  readonly read: readonly string[];
  readonly subState: string;
  readonly owned: SubStateOwnership;
  /** The real state's serial and lineage at plan time. */
  readonly expected: { readonly serial: number; readonly lineage: string };
  readonly checkOnly: boolean;
  /** Named in a refusal (the kept sub-state); unset before the apply. */
  readonly keptPath?: string;
  readonly signal?: AbortSignal;
}

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

/**
 * One POST /tfstate/{guid}/subgraph. O(sub-state) bytes sent; the server's cost is O(cone + rows changed since base).
 * @throws StateMovedError, SubgraphNotHeldError, SubgraphWriteError, ServeClientError (SERVE_UNREACHABLE, SERVE_BAD_ANSWER)
 */
export async function writeSubgraph(i: WriteSubgraphInput): Promise<SubgraphWritten> {
  const body = subgraphBody(i.subState, i.owned, { lineage: i.expected.lineage, baseSerial: i.expected.serial, read: i.read, checkOnly: i.checkOnly });
  const a = await serveRequest(i.backend, 'POST', `/tfstate/${i.backend.guid}/subgraph?ID=${encodeURIComponent(i.lockId)}`, {
    text: body.text, timeoutMs: 120_000, ...(i.signal ? { signal: i.signal } : {}),
  });
  const b = a.body;
  const num = (k: string): number => (typeof b[k] === 'number' ? (b[k] as number) : 0);
  if (a.status === 200) return { version: num('version'), serial: num('serial'), closed: num('closed'), added: num('added') };
  const code = typeof b['code'] === 'string' ? b['code'] : `HTTP_${a.status}`;
  const message = typeof b['message'] === 'string' ? b['message'] : JSON.stringify(b).slice(0, 200);
  if (code === 'STATE_MOVED') {
    throw new StateMovedError({
      expectedSerial: i.expected.serial, foundSerial: num('serial'), expectedLineage: i.expected.lineage, foundLineage: i.expected.lineage,
      addresses: strings(b['addresses']).sort(), ...(i.keptPath !== undefined ? { subStatePath: i.keptPath } : {}),
    });
  }
  if (code === 'SUBGRAPH_NOT_HELD') throw new SubgraphNotHeldError(i.lockId, strings(b['addresses']).sort(), i.keptPath);
  throw new SubgraphWriteError(code, a.status, message, i.keptPath);
}
