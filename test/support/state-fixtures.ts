// Shared helpers for the state tests: the real fixture directory, chunking, and outcome comparison.

import { readdirSync } from 'node:fs';
import type { LoadedState } from '../../src/state/instance-record.js';
import { realStatesDir } from './paths.js';

/** ../shared/fixtures/real-states (paths.ts realStatesDir); read it only inside describeWithFixtures/itWithFixtures. */
export const REAL_STATES = realStatesDir;

/** Every file in the real-states fixture directory, sorted, so new fixtures are covered automatically. */
export function realStateFiles(): string[] {
  return readdirSync(REAL_STATES).sort();
}

/** Splits bytes into chunks of the given sizes (cycled), as a stream would deliver them. */
export async function* chunked(bytes: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  let i = 0;
  while (at < bytes.length) {
    const n = Math.max(1, sizes[i++ % sizes.length] ?? 1);
    yield bytes.subarray(at, at + n);
    at += n;
  }
}

/** What a reader produced: records without spans (parseState has none), or the error code. */
export type Outcome = { ok: Omit<LoadedState, 'instances'> & { instances: unknown[] } } | { code: string };

export async function outcome(run: () => LoadedState | Promise<LoadedState>): Promise<Outcome> {
  try {
    const state = await run();
    return { ok: { meta: state.meta, instances: state.instances.map(({ span: _span, ...rest }) => rest) } };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (typeof code !== 'string') throw error;
    return { code };
  }
}
