// `velocity synth --resources N --shape customers|chain|wide|random [--seed S] --out DIR [--json]`: writes a
// synthetic workspace (config + the tfstate Terraform would have written for it) for tests and benchmarks.

import { resolve } from 'node:path';
import { UsageError } from '../errors.js';
import { SYNTH_SHAPES, synthWorkspace, type SynthShapeName } from '../synth/synth-workspace.js';
import type { Command } from './cli-io.js';
import { parseCommandArgs } from './parse-command-args.js';
import { createProgressBar } from './progress-bar.js';

const USAGE = `usage: velocity synth --resources N --shape ${SYNTH_SHAPES.join('|')} [--seed S] --out DIR [--json]`;

function integer(text: string | undefined, flag: string, min: number): number {
  if (text === undefined) throw new UsageError(`${flag} N is required\n${USAGE}`);
  // Decimal digits, optionally with an exponent (`--resources 1e6`); never hex, blanks or fractions.
  const n = /^\d+(e\d+)?$/i.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min) throw new UsageError(`${flag} must be an integer ≥ ${min}, got ${JSON.stringify(text)}\n${USAGE}`);
  return n;
}

export const synthCommand: Command = async (args, io) => {
  const { values, help } = parseCommandArgs(
    args,
    { resources: { type: 'string' }, shape: { type: 'string' }, seed: { type: 'string' }, out: { type: 'string' }, json: { type: 'boolean' } },
    USAGE,
    { maxPositionals: 0, refuseEmpty: true },
  );
  if (help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const resources = integer(values.resources, '--resources', 1);
  const shape = values.shape ?? 'customers';
  if (!(SYNTH_SHAPES as readonly string[]).includes(shape)) throw new UsageError(`--shape must be one of ${SYNTH_SHAPES.join(', ')}, got ${JSON.stringify(shape)}\n${USAGE}`);
  const seed = values.seed === undefined ? 1 : integer(values.seed, '--seed', 0);
  if (values.out === undefined) throw new UsageError(`--out DIR is required\n${USAGE}`);
  const outDir = resolve(io.cwd, values.out);
  const bar = createProgressBar(io, { label: 'synth', total: resources, unit: 'items' });
  let summary;
  try {
    summary = await synthWorkspace({ resources, shape: shape as SynthShapeName, seed, outDir, onProgress: (done) => bar.update(done) });
  } finally {
    bar.stop();
  }
  if (values.json) {
    io.stdout(`${JSON.stringify(summary)}\n`);
  } else {
    const facts = Object.entries(summary.facts).map(([k, v]) => `${k} ${v}`).join(', ');
    io.stdout(
      `wrote ${summary.instances} resource instances (shape ${summary.shape}, seed ${summary.seed}${facts ? `, ${facts}` : ''}) to ${outDir}\n` +
        `  terraform.tfstate: ${(summary.stateBytes / 1e6).toFixed(1)} MB, lineage ${summary.lineage}\n` +
        `  files: ${summary.files.join(', ')}\n`,
    );
  }
  return 0;
};
