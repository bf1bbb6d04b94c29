// A progress bar on stderr for long operations (state loads, synth): shown only when stderr is a terminal and
// the operation has run for over a second, so quick commands and pipes/CI logs stay silent.
// Rendering is cli-progress's; this file decides when, and adapts CliIo.stderr to the stream it expects.

import { createRequire } from 'node:module';
import type cliProgressModule from 'cli-progress';
import type { CliIo } from './cli-io.js';

// NOTE: loaded on the first bar actually shown (a terminal, over a second), so quick commands never load it.
let cliProgress: typeof cliProgressModule | undefined;

export interface ProgressBarOptions {
  readonly label: string;
  /** Expected final value (bytes or items); 0 or unknown shows a bar that never fills. */
  readonly total: number;
  /** How values are printed. @default 'bytes' */
  readonly unit?: 'bytes' | 'items';
  /** Show the bar only once the operation has run this long. @default 1000 */
  readonly delayMs?: number;
  /** Clock, injectable for tests. @default Date.now */
  readonly now?: () => number;
}

export interface ProgressBar {
  /** Reports the current value; cheap enough to call per chunk. */
  update(value: number): void;
  /** Completes and removes the bar (idempotent). */
  stop(): void;
}

const MB = 1024 * 1024;

function formatValue(v: number, unit: 'bytes' | 'items'): string {
  return unit === 'bytes' ? `${(v / MB).toFixed(v < 10 * MB ? 1 : 0)} MB` : v.toLocaleString('en-US');
}

/** A bar that does nothing: what non-terminals get. */
const SILENT: ProgressBar = { update: () => undefined, stop: () => undefined };

/** Creates a bar bound to `io`; silent (no output at all) when `io.isTTY` is false. O(1) per update. */
export function createProgressBar(io: CliIo, options: ProgressBarOptions): ProgressBar {
  if (!io.isTTY) return SILENT;
  const now = options.now ?? Date.now;
  const unit = options.unit ?? 'bytes';
  const delay = options.delayMs ?? 1000;
  const started = now();
  const total = Math.max(options.total, 1);
  let bar: cliProgressModule.SingleBar | undefined;
  let stopped = false;
  // cli-progress writes through readline's cursor helpers, which only call `write`.
  const stream = { isTTY: true, columns: 100, write: (s: string) => (io.stderr(s), true) } as unknown as NodeJS.WritableStream;
  const payload = (value: number) => ({ done: formatValue(value, unit), all: formatValue(options.total, unit) });
  return {
    update(value: number): void {
      if (stopped) return;
      if (!bar) {
        if (now() - started < delay) return;
        cliProgress ??= createRequire(import.meta.url)('cli-progress') as typeof cliProgressModule;
        bar = new cliProgress.SingleBar(
          { stream, format: `${options.label} [{bar}] {percentage}% | {done}/{all} | ETA {eta_formatted}`, hideCursor: false, clearOnComplete: true, etaBuffer: 50 },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, Math.min(value, total), payload(value));
        return;
      }
      bar.update(Math.min(value, total), payload(value));
    },
    stop(): void {
      if (stopped) return;
      stopped = true;
      bar?.stop();
    },
  };
}
