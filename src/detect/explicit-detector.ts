// The explicit change detector: the user named the change with -target or --changed, so nothing runs.
// Guarantees: costs no process and no provider read; the answer is exactly the user's addresses, sorted.

import type { ChangeDetector, DetectContext, DetectResult } from './change-detector.js';

export const explicitDetector: ChangeDetector = {
  name: 'explicit',
  applies: (ctx) => ctx.targets.length > 0 || ctx.changed.length > 0,
  detect(ctx: DetectContext): Promise<DetectResult> {
    const started = performance.now();
    const changed = [...new Set([...ctx.changed, ...ctx.targets])].sort();
    return Promise.resolve({ source: 'explicit', changed, tookMs: performance.now() - started });
  },
};
