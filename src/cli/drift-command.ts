// `velocity drift [--budget K | --all] [--json] [velocity plan options] [plan flags]`: which instances changed outside
// Terraform, by a refresh-only plan of a drift budget's slice (inject mode) or of everything. Exit 0: none drifted,
// 2: some drifted, 1: an error. Stdout holds only the answer (addresses, or one JSON object with --json).

import { UsageError } from '../errors.js';
import { velocityDrift } from '../plan/velocity-drift.js';
import { parseDriftBudget, splitPlanArgs } from '../tf/plan-args.js';
import type { Command } from './cli-io.js';

const USAGE = `usage: velocity drift [--budget K | --all] [--json] [velocity plan options] [tofu/terraform plan flags]

Runs \`<bin> plan -refresh-only -json\` and lists the instances that drifted (changed outside of Terraform),
sorted, one per line on stdout. Exit code: 0 nothing drifted, 2 something drifted, 1 an error.

  --budget K     check the ceil(N/K) instances refreshed longest ago (never refreshed first), in a
                 sub-workspace holding only them (-target on the real workspace when that is not possible,
                 saying why); K runs in a row check every instance. The refresh history
                 (.velocity/refresh-history.json) is updated after each successful run
  --all          check every instance (a refresh-only plan of the whole workspace); the default
  --json         print one object instead: {"checked": N, "drifted": [addresses]}
  --help         this text

velocity plan options that apply: --binary, --state, --mode (inject, auto, target), --report.
Everything else (-var, -var-file, -lock, -parallelism...) goes to \`<bin> plan\`. Not taken: -out, -destroy,
-refresh=false, -target (the budget chooses the slice), --changed, --drift-budget, --dry-run-refresh.
`;

/** Splits off drift's own flags (before any `--`); the rest is `velocity plan`'s argv. O(argv). */
function driftArgs(args: readonly string[]): { budget?: number; all: boolean; json: boolean; help: boolean; rest: string[] } {
  const out: { budget?: number; all: boolean; json: boolean; help: boolean; rest: string[] } = { all: false, json: false, help: false, rest: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--') {
      out.rest.push(...args.slice(i));
      break;
    }
    const m = /^--(budget|all|json|help)(?:=([\s\S]*))?$/.exec(a);
    if (!m) {
      out.rest.push(a);
      continue;
    }
    const [, name, inline] = m;
    if (name === 'budget') {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`--budget needs a value\n${USAGE}`);
      out.budget = parseDriftBudget(value);
      continue;
    }
    if (inline !== undefined) throw new UsageError(`--${name} takes no value`);
    if (name === 'all') out.all = true;
    else if (name === 'json') out.json = true;
    else out.help = true;
  }
  return out;
}

export const driftCommand: Command = async (args, io) => {
  const d = driftArgs(args);
  if (d.help) {
    io.stdout(USAGE);
    return 0;
  }
  if (d.all && d.budget !== undefined) throw new UsageError('give --budget K or --all, not both');
  const { velocity, binaryArgv } = splitPlanArgs(d.rest);
  if (velocity.changed.length > 0) throw new UsageError('velocity drift takes no --changed: it checks what the budget chooses (--budget K) or everything (--all)');
  if (velocity.driftBudget !== undefined) throw new UsageError('velocity drift takes --budget K, not --drift-budget');
  if (velocity.dryRun) throw new UsageError('velocity drift takes no --dry-run-refresh (run `velocity plan --drift-budget K --dry-run-refresh`)');
  if (velocity.mode === 'full' && d.budget !== undefined) throw new UsageError('--mode full checks every instance: use --all');
  const signal = io.interrupts?.take();
  const all = d.all || d.budget === undefined;
  const result = await velocityDrift({
    ...(signal ? { signal } : {}),
    planArgs: binaryArgv,
    cwd: io.cwd,
    env: io.env,
    ...(velocity.binary !== undefined ? { binary: velocity.binary } : {}),
    ...(velocity.state !== undefined ? { stateFile: velocity.state } : {}),
    ...(velocity.report !== undefined ? { report: velocity.report } : {}),
    ...(all ? { all: true } : { budget: d.budget as number, mode: velocity.mode === 'auto' ? 'inject' : velocity.mode }),
    stdin: io.isTTY ? 'inherit' : 'ignore',
    output: (_stream, text) => io.stderr(text),
  });
  for (const diag of result.diagnostics) {
    if (diag.severity === 'error') io.stderr(`velocity: ${diag.summary}${diag.detail ? `: ${diag.detail}` : ''}\n`);
  }
  if (result.exitCode === 1) {
    io.stderr(`velocity: the refresh-only plan failed (exit ${result.plan.exitCode}); nothing is known about drift\n`);
    return 1;
  }
  if (d.json) io.stdout(`${JSON.stringify({ checked: result.checked, drifted: result.drifted })}\n`);
  else {
    for (const a of result.drifted) io.stdout(`${a}\n`);
    io.stderr(`velocity: ${result.drifted.length} of ${result.checked} checked instance(s) drifted${all ? '' : ` (--budget ${d.budget as number})`}\n`);
  }
  return result.exitCode;
};
