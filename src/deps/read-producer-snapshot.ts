// What a producer state's outputs are now: its serial, lineage and one fingerprint per root output, read from a local
// workspace's state file when it is a plain local backend, else through `<bin> state pull` (any backend).
// Guarantees: the state is streamed through the state scanner (never one string), so a state of any size reads.

import { createReadStream } from 'node:fs';
import { SourceReadError, VelocityError } from '../errors.js';
import { scanState } from '../state/scan-state.js';
import { plainLocalStatePath } from '../tf/local-state-path.js';
import { pullState } from '../tf/pull-state.js';
import { BinaryExitError } from '../tf/tf-errors.js';
import type { ProducerSnapshot } from './deps-graph.js';
import { outputFingerprint } from './output-fingerprint.js';

/** The fingerprints of a state's outputs (`outputs` of a v4 state: name → {value, type, sensitive}). O(outputs). */
export function snapshotOf(meta: { readonly serial: number; readonly lineage: string; readonly outputs: Readonly<Record<string, unknown>> }, readAt: Date): ProducerSnapshot {
  const outputs: Record<string, string> = {};
  for (const name of Object.keys(meta.outputs).sort()) outputs[name] = outputFingerprint((meta.outputs[name] as { value?: unknown } | null)?.value);
  return { serial: meta.serial, lineage: meta.lineage, outputs, readAt: readAt.toISOString() };
}

/**
 * The snapshot of the state of workspace `dir`, or undefined when it has no state yet. O(state) streamed.
 * @throws StateParseError, SourceReadError, BinaryExitError (`state pull` failed)
 */
export async function readProducerSnapshot(dir: string, options: { readonly binary: string; readonly env: NodeJS.ProcessEnv; readonly signal?: AbortSignal }): Promise<ProducerSnapshot | undefined> {
  const local = plainLocalStatePath(dir, options.env);
  if (local !== undefined) {
    try {
      return snapshotOf((await scanState(createReadStream(local))).meta, new Date());
    } catch (error) {
      if (error instanceof VelocityError) throw error;
      throw new SourceReadError(local, error);
    }
  }
  const pulled = pullState(options.binary, [], { cwd: dir, env: options.env, ...(options.signal ? { signal: options.signal } : {}) });
  let bytes = 0;
  async function* counted(): AsyncIterable<Uint8Array> {
    for await (const c of pulled.chunks) {
      bytes += c.length;
      yield c;
    }
  }
  let scanned: Awaited<ReturnType<typeof scanState>> | undefined;
  let failure: unknown;
  try {
    scanned = await scanState(counted());
  } catch (error) {
    failure = error;
  }
  const exit = await pulled.exited;
  if (exit.exitCode !== 0) throw new BinaryExitError([options.binary, 'state', 'pull'], { exitCode: exit.exitCode, signal: null, stdout: '', stderr: exit.stderr });
  if (bytes === 0) return undefined; // `state pull` of a workspace with no state prints nothing
  if (scanned === undefined) throw failure;
  return snapshotOf(scanned.meta, new Date());
}
