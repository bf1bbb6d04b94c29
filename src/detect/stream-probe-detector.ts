// The streaming probe: `<bin> plan -refresh=false -input=false -json` with the user's flags, reading the
// `planned_change` events as they stream (one binary run, no plan file, no `show -json`). Same answer as the
// `show -json` probe (every non-no-op change); moves, imports and forgets make velocity run full.

import { parsePlanJsonLine } from '../tf/parse-plan-json.js';
import { runBinary } from '../tf/run-binary.js';
import type { ChangeDetector, DetectContext, DetectResult } from './change-detector.js';

interface ChangeEvent {
  type?: unknown;
  change?: { resource?: { addr?: unknown }; previous_resource?: { addr?: unknown }; action?: unknown; importing?: unknown };
}

const UNSCOPABLE: Readonly<Record<string, string>> = { move: 'moved (a `moved` block)', import: 'imported (an `import` block)', remove: 'forgotten (a `removed` block)', forget: 'forgotten (a `removed` block)' };

export const streamProbeDetector: ChangeDetector = {
  name: 'stream-probe',
  applies: () => true,
  async detect(ctx: DetectContext): Promise<DetectResult> {
    const started = performance.now();
    const changed = new Set<string>();
    const creates = new Set<string>();
    const unscopable: string[] = [];
    const planArgs = ctx.planArgs.filter((a) => !/^--?(json|no-color)(=.*)?$/.test(a));
    const result = await runBinary(ctx.binary, [...ctx.globalArgs, 'plan', '-refresh=false', '-input=false', '-json', ...planArgs], {
      cwd: ctx.cwd,
      env: ctx.env,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      onLine: (stream, line) => {
        if (stream !== 'stdout' || !line.includes('"planned_change"')) return;
        const event = parsePlanJsonLine(line);
        if (event?.type !== 'planned_change') return;
        const msg = JSON.parse(line) as ChangeEvent;
        const previous = msg.change?.previous_resource?.addr;
        if (typeof previous === 'string' && previous !== event.address) unscopable.push(`${event.address} is moved from ${previous} (a \`moved\` block)`);
        else if (UNSCOPABLE[event.action]) unscopable.push(`${event.address} is ${UNSCOPABLE[event.action]}`);
        else if (msg.change?.importing !== undefined && msg.change.importing !== null) unscopable.push(`${event.address} is imported (an \`import\` block)`);
        if (event.action === 'noop' || event.action === 'no-op') return;
        changed.add(event.address);
        if (event.action === 'create') creates.add(event.address);
      },
    });
    const tookMs = performance.now() - started;
    // NOTE: its output is JSON whatever the user asked for, so a failure is not replayed: the full plan runs and
    // shows the binary's own error in the user's format (configuration errors fail before any refresh).
    if (result.exitCode !== 0) return { source: 'stream-probe', changed: [], tookMs, fallback: { to: 'full', reason: `the probe plan failed (exit ${result.exitCode})` } };
    const base = { source: 'stream-probe', changed: [...changed].sort(), creates: [...creates].sort(), tookMs };
    unscopable.sort();
    const first = unscopable[0];
    if (first !== undefined) {
      return { ...base, fallback: { to: 'full', reason: `${first}${unscopable.length > 1 ? ` (and ${unscopable.length - 1} more)` : ''}` } };
    }
    return base;
  },
};
