// Where the real state of a workspace is written after an inject-mode apply, and what it holds now: a plain local
// backend's file (written atomically under Terraform's lock), or any other backend through `<bin> state push`.
// Guarantees: the same decision `velocity plan` makes when it reads the state (plainLocalStatePath).

import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BinaryExitError } from '../tf/tf-errors.js';
import { readStateHead } from '../state/read-state-head.js';
import { plainLocalStatePath } from '../tf/local-state-path.js';
import { pullState } from '../tf/pull-state.js';
import type { StateTarget } from './commit-sub-state.js';

/** A target the binary's own backend code reaches (no velocity server subgraph write). */
export type FileOrPushTarget = Exclude<StateTarget, { readonly kind: 'velocity' }>;

/** A velocity server's state, written by subgraph under the resource lock `lockId` (see write-subgraph.ts). */
export type VelocityWrite = Omit<Extract<StateTarget, { readonly kind: 'velocity' }>, 'kind'>;

/** Head fields of a state: enough for a compare-and-swap. */
export interface StateHead {
  readonly serial: number;
  readonly lineage: string;
}

/**
 * The state target of the workspace `workDir`: its local file when it is a plain local backend, else `state push`
 * through `binary` (a velocity server's subgraph write is the caller's choice: it needs a lock). O(1) file checks.
 */
export function stateTargetOf(
  workDir: string,
  env: NodeJS.ProcessEnv,
  options: { readonly binary: string; readonly lock: boolean; readonly lockTimeoutMs: number },
): FileOrPushTarget {
  const local = plainLocalStatePath(workDir, env);
  if (local !== undefined) return { kind: 'local', path: local, lock: options.lock, lockTimeoutMs: options.lockTimeoutMs };
  return { kind: 'push', binary: options.binary, globalArgs: [], cwd: workDir, env };
}

/** Bytes of a pulled state read for its head: Terraform writes serial and lineage in the first lines. */
const HEAD_BYTES = 64 << 10;

/**
 * The serial and lineage the target holds now, or undefined when there is no state. Local: one 64 KiB read;
 * push: a `state pull` stopped after its first 64 KiB.
 * @throws StateParseError when the head is not a state's
 */
export async function currentStateHead(target: FileOrPushTarget, signal?: AbortSignal): Promise<StateHead | undefined> {
  if (target.kind === 'local') {
    const head = readStateHead({ path: target.path });
    return { serial: head.serial, lineage: head.lineage };
  }
  const controller = new AbortController();
  const pull = pullState(target.binary, target.globalArgs, { cwd: target.cwd, env: target.env, signal: signal ? AbortSignal.any([signal, controller.signal]) : controller.signal });
  const dir = mkdtempSync(join(tmpdir(), 'velocity-head-'));
  const file = join(dir, 'head.tfstate');
  let fd: number | undefined = openSync(file, 'w');
  let bytes = 0;
  try {
    for await (const chunk of pull.chunks) {
      writeSync(fd, chunk);
      bytes += chunk.length;
      // NOTE: the head is all a compare-and-swap needs; the rest of a large remote state is not transferred.
      if (bytes >= HEAD_BYTES) break;
    }
    closeSync(fd);
    fd = undefined;
    if (bytes < HEAD_BYTES) {
      const exit = await pull.exited;
      if (exit.exitCode !== 0) throw new BinaryExitError([target.binary, ...target.globalArgs, 'state', 'pull'], { exitCode: exit.exitCode, signal: null, stdout: '', stderr: exit.stderr });
      if (bytes === 0) return undefined; // no state yet
    }
    const head = readStateHead({ path: file });
    return { serial: head.serial, lineage: head.lineage };
  } finally {
    if (fd !== undefined) closeSync(fd);
    controller.abort();
    rmSync(dir, { recursive: true, force: true });
  }
}
