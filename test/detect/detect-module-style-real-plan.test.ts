// Issue 16 items 12, 13, 14 against the real binary: a root module in the style of the terraform-aws-modules
// examples (terraform_data stand-ins), applied and recorded once; each edit's detection must cover every change
// of Terraform's own `plan -refresh=false`, with no fallback, in ledger mode and (under git) `--changed-since`.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ConfigChangeDetector, type ConfigDetectResult } from '../../src/detect/config-change-detector.js';
import { parseState } from '../../src/state/parse-state.js';
import { parseResourceAddress } from '../../src/state/address.js';
import { StateGraph } from '../../src/graph/state-graph.js';
import { bottomCone } from '../../src/cone/bottom-cone.js';
import { TERRAFORM, initAndApply, probe, type ProbeChange } from '../support/terraform-probe.js';
import { awsStyleExample } from '../support/module-style-configs.js';

const FILES = awsStyleExample({ provider: false });

function blockOf(address: string): string {
  const a = parseResourceAddress(address);
  return `${a.module.map((s) => `module.${s.name}.`).join('')}${a.mode === 'data' ? 'data.' : ''}${a.type}.${a.name}`;
}

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir, stdio: 'pipe' });
}

/** Probe changes the detection does not cover (its changed set, changed blocks, or their downstream cone). */
function missed(dir: string, det: ConfigDetectResult, changes: readonly ProbeChange[]): string[] {
  const state = parseState(readFileSync(join(dir, 'terraform.tfstate')), 'terraform.tfstate');
  const changed = new Set(det.changed);
  const blocks = new Set(det.changedBlocks);
  const cone = new Set(det.changed.length === 0 ? [] : bottomCone(StateGraph.fromState(state), det.changed));
  return changes.filter((c) => !changed.has(c.address) && !blocks.has(blockOf(c.address)) && !cone.has(c.address)).map((c) => c.address);
}

describe.runIf(TERRAFORM !== undefined)('module-style root module: each edit against the real plan', () => {
  let root = '';
  let dir = '';
  const detect = async (at: string, changedSince?: string): Promise<ConfigDetectResult> => {
    const state = parseState(readFileSync(join(at, 'terraform.tfstate')), 'terraform.tfstate');
    return new ConfigChangeDetector().detect({ workingDir: at, state, env: {}, cachePath: false, ...(changedSince === undefined ? {} : { changedSince }) });
  };
  const restore = (): void => {
    for (const [p, t] of Object.entries(FILES)) writeFileSync(join(dir, p), t);
    rmSync(join(dir, 'terraform.tfvars'), { force: true });
  };
  /** Makes `edit`, then checks both modes cover every change of the real plan (which must hold `expected`). */
  const coveredInBothModes = async (edit: () => void, expected?: string): Promise<void> => {
    edit();
    try {
      const changes = await probe(dir);
      if (expected !== undefined) expect(changes.map((c) => c.address)).toContain(expected);
      else expect(changes.length).toBeGreaterThan(0);
      for (const det of [await detect(dir), await detect(dir, 'HEAD')]) {
        expect(det.fallback).toBeUndefined();
        expect(missed(dir, det, changes)).toEqual([]);
      }
    } finally {
      restore();
    }
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'velocity-style-'));
    dir = join(root, 'examples', 'complete');
    for (const [p, t] of Object.entries(FILES)) {
      mkdirSync(dirname(join(dir, p)), { recursive: true });
      writeFileSync(join(dir, p), t);
    }
    await initAndApply(dir);
    const state = parseState(readFileSync(join(dir, 'terraform.tfstate')), 'terraform.tfstate');
    await new ConfigChangeDetector().record({ workingDir: dir, state, env: {}, cachePath: false });
    git(root, 'init', '-q');
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'base');
  }, 120_000);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('no edit: no change in either mode, and the real plan agrees', async () => {
    expect(await probe(dir)).toEqual([]);
    for (const det of [await detect(dir), await detect(dir, 'HEAD')]) {
      expect(det.fallback).toBeUndefined();
      expect(det.changed).toEqual([]);
    }
  }, 60_000);

  // Item 14: `merge(\n\t\tvar.base_tags, ...)` — the reference after the tab was dropped.
  it('a variable read after a tab inside a multi-line merge(): found, as the plan finds it', async () => {
    const edit = (): void => writeFileSync(join(dir, 'variables.tf'), (FILES['variables.tf'] as string).replace('Team = "platform"', 'Team = "infra"'));
    await coveredInBothModes(edit, 'module.vpc.terraform_data.vpc');
  }, 60_000);

  // Item 13: the repository's .gitignore excludes *.tfvars.
  it('a git-ignored terraform.tfvars: found in ledger mode and in --changed-since mode', async () => {
    await coveredInBothModes(() => writeFileSync(join(dir, 'terraform.tfvars'), 'extra_tag = "b"\n'), 'module.vpc.terraform_data.vpc');
  }, 60_000);

  // Item 12: name = "ex-${basename(path.cwd)}" and the example directory renamed.
  it('the example directory renamed (path.cwd): found in ledger mode, and after `git mv` in --changed-since mode', async () => {
    const moved = join(root, 'examples', 'renamed');
    renameSync(dir, moved);
    try {
      const changes = await probe(moved);
      expect(changes.map((c) => c.address)).toContain('terraform_data.flow_log');
      const det = await detect(moved);
      expect(det.fallback).toBeUndefined();
      expect(missed(moved, det, changes)).toEqual([]);
    } finally {
      renameSync(moved, dir);
    }
    // `git mv` of a directory renames it, the git-ignored state and .terraform included.
    const gitMove = (from: string, to: string): void => git(root, 'mv', `examples/${from}`, `examples/${to}`);
    gitMove('complete', 'renamed');
    try {
      const changes = await probe(moved);
      const det = await detect(moved, 'HEAD');
      expect(det.fallback).toBeUndefined();
      expect(missed(moved, det, changes)).toEqual([]);
      expect(det.changed).toContain('terraform_data.flow_log');
    } finally {
      gitMove('renamed', 'complete');
    }
  }, 90_000);

  it('a local feeding several resources (region): found, as the plan finds it', async () => {
    await coveredInBothModes(() => writeFileSync(join(dir, 'main.tf'), (FILES['main.tf'] as string).replace('region = "eu-west-1"', 'region = "us-east-1"')));
  }, 60_000);
});
