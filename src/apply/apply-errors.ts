// The typed errors of committing an applied sub-workspace state into the real state: the real state moved since the
// plan (compare-and-swap), `state push` refused the merged state, or the sub-state holds an entry it does not own.
// Guarantees: each carries what a caller needs to report it (serials, lineages, the binary's stderr, the entry) and
// exits 1; none of them is raised after anything was written to the real state.

import { VelocityError } from '../errors.js';
import type { ResourceEntryKey } from '../inject/sub-workspace-manifest.js';

/** The real state's serial or lineage is not the one the plan was made against: nothing was written. */
export class StateMovedError extends VelocityError {
  readonly expectedSerial: number;
  readonly foundSerial: number;
  readonly expectedLineage: string;
  readonly foundLineage: string;
  /** The applied sub-workspace state that was kept (merge it later with `velocity merge`). */
  readonly subStatePath: string | undefined;
  /** Addresses that changed since the plan (a velocity server names them), sorted; empty when unknown. */
  readonly addresses: readonly string[];
  constructor(o: { expectedSerial: number; foundSerial: number; expectedLineage: string; foundLineage: string; subStatePath?: string; addresses?: readonly string[] }) {
    const what =
      o.expectedLineage !== o.foundLineage
        ? `its lineage is ${o.foundLineage} (serial ${o.foundSerial}), the plan was made against lineage ${o.expectedLineage} serial ${o.expectedSerial}`
        : `its serial is ${o.foundSerial}, the plan was made at serial ${o.expectedSerial}`;
    const at = o.addresses === undefined || o.addresses.length === 0 ? '' : ` at ${o.addresses.slice(0, 5).join(', ')}${o.addresses.length > 5 ? `, ... (${o.addresses.length} in all)` : ''}`;
    super(
      'STATE_MOVED',
      `the real state changed since the plan${at}: ${what}; nothing was written` +
        (o.subStatePath !== undefined ? `; the applied sub-workspace state is kept at ${o.subStatePath}` : ''),
    );
    this.expectedSerial = o.expectedSerial;
    this.foundSerial = o.foundSerial;
    this.expectedLineage = o.expectedLineage;
    this.foundLineage = o.foundLineage;
    this.subStatePath = o.subStatePath;
    this.addresses = o.addresses ?? [];
  }
}

/** `<bin> state push` of the merged state exited non-zero (backend locked, refused serial, unreachable). */
export class StatePushError extends VelocityError {
  readonly stderr: string;
  /** The binary's own exit code (null when killed by a signal). */
  readonly binaryExitCode: number | null;
  constructor(binaryExitCode: number | null, stderr: string, subStatePath?: string) {
    // NOTE: the binary's diagnostics without colour codes and empty box lines, up to their last 24 lines: a lock error
    // ends with 4 lines of boilerplate after the holder's Lock Info (its ID is what `force-unlock` needs).
    const lines = stderr.replace(/\x1b\[[0-9;]*m/g, '').split('\n').map((l) => l.trimEnd()).filter((l) => l.replace(/^[│╷╵]\s*/, '') !== '');
    const tail = lines.slice(-24).join('\n');
    super(
      'STATE_PUSH_FAILED',
      `state push of the merged state failed (exit ${binaryExitCode ?? 'by signal'})` +
        (subStatePath !== undefined ? `; the applied sub-workspace state is kept at ${subStatePath}` : '') +
        (tail ? `:\n${tail}` : ''),
    );
    this.stderr = stderr;
    this.binaryExitCode = binaryExitCode;
  }
}

/** The sub-state holds an entry (or root output) that the real state has too but the sub-workspace does not own. */
export class MergeConflictError extends VelocityError {
  /** The entry, or the root output's name. */
  readonly entry: ResourceEntryKey | { readonly output: string };
  constructor(entry: ResourceEntryKey | { readonly output: string }) {
    const shown = 'output' in entry ? `output ${JSON.stringify(entry.output)}` : `resource entry ${JSON.stringify([entry.module, entry.mode, entry.type, entry.name])}`;
    super('MERGE_CONFLICT', `the sub-workspace state holds ${shown}, which the real state has but the sub-workspace does not own; nothing was written`);
    this.entry = entry;
  }
}

/** A velocity server refused a subgraph write: the applied instances or outputs at `addresses` are outside the lock. */
export class SubgraphNotHeldError extends VelocityError {
  /** What the write would change that the lock does not hold, sorted. */
  readonly addresses: readonly string[];
  readonly subStatePath: string | undefined;
  constructor(lockId: string, addresses: readonly string[], subStatePath?: string) {
    const shown = addresses.slice(0, 5).join(', ') + (addresses.length > 5 ? `, ... (${addresses.length} in all)` : '');
    super(
      'SUBGRAPH_NOT_HELD',
      `the velocity server refused the write: lock ${lockId} does not hold ${shown}; nothing was written` +
        (subStatePath !== undefined ? `; the applied sub-workspace state is kept at ${subStatePath}` : ''),
    );
    this.addresses = addresses;
    this.subStatePath = subStatePath;
  }
}

/** A velocity server refused a subgraph write for another reason (its lock gone, another lineage): its code is kept. */
export class SubgraphWriteError extends VelocityError {
  /** The server's code (LOCK_NOT_HELD, STATE_LOCKED, STATE_LINEAGE_MISMATCH, ...). */
  readonly serverCode: string;
  readonly status: number;
  constructor(serverCode: string, status: number, message: string, subStatePath?: string) {
    super('SUBGRAPH_WRITE_REFUSED', `the velocity server refused the write (${serverCode}, HTTP ${status}): ${message}` + (subStatePath !== undefined ? `; the applied sub-workspace state is kept at ${subStatePath}` : ''));
    this.serverCode = serverCode;
    this.status = status;
  }
}
