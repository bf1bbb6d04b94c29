// Issue 16 item 11: a provider configured from locals, variables, data sources and module outputs. Its
// fingerprint follows everything it reads, and a change there (or a provider that may have changed with nothing
// to compare it with) is a `full` fallback in every mode: the probe (`plan -refresh=false`) cannot see it.

import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { ConfigChangeDetector } from '../../src/detect/config-change-detector.js';
import { defaultDetector } from '../../src/detect/default-detector.js';
import type { ChangeDetector, DetectContext } from '../../src/detect/change-detector.js';
import { awsStyleExample } from '../support/module-style-configs.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { smallState } from '../support/small-state.js';

const FILES = awsStyleExample({ provider: true });
const MAIN = FILES['main.tf'] as string;
const STATE = smallState(['terraform_data.flow_log', 'terraform_data.static', 'module.vpc.terraform_data.vpc', 'module.vpc.terraform_data.subnet[0]']);

let ws: TempWorkspace | undefined;
afterEach(() => ws?.cleanup());

function git(dir: string, ...args: string[]): void {
  execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir, stdio: 'pipe' });
}

async function recorded(files: Record<string, string> = FILES): Promise<TempWorkspace> {
  ws = tempWorkspace(files);
  await new ConfigChangeDetector().record({ workingDir: ws.dir, state: STATE, env: {}, cachePath: false });
  return ws;
}

const detect = (dir: string, extra: { changedSince?: string } = {}) => new ConfigChangeDetector().detect({ workingDir: dir, state: STATE, env: {}, cachePath: false, ...extra });

describe('provider configuration reached through locals, variables and data sources', () => {
  it('a local feeding provider "aws" { region = local.region }: fallback full with the ledger', async () => {
    const w = await recorded();
    w.write('main.tf', MAIN.replace('region = "eu-west-1"', 'region = "us-east-1"'));
    const r = await detect(w.dir);
    expect(r.fallback?.to).toBe('full');
    expect(r.unattributed).toContain('provider:provider.aws: changed');
  });

  it('a variable read by a nested provider block, set in a tfvars file: fallback full', async () => {
    const w = await recorded();
    w.write('terraform.tfvars', 'owner = "someone-else"\n');
    expect((await detect(w.dir)).fallback?.to).toBe('full');
  });

  it('a data source the provider reads: fallback full when the data block changes', async () => {
    const files = { ...FILES, 'main.tf': MAIN.replace('region = local.region', 'region = data.terraform_remote_state.net.outputs.region') + '\ndata "terraform_remote_state" "net" {\n  backend = "local"\n  config = { path = "a.tfstate" }\n}\n' };
    const w = await recorded(files);
    w.write('main.tf', (files['main.tf'] as string).replace('"a.tfstate"', '"b.tfstate"'));
    expect((await detect(w.dir)).fallback?.to).toBe('full');
  });

  it('with --changed-since: fallback full', async () => {
    ws = tempWorkspace(FILES);
    git(ws.dir, 'init', '-q');
    git(ws.dir, 'add', '-A');
    git(ws.dir, 'commit', '-qm', 'base');
    ws.write('main.tf', MAIN.replace('region = "eu-west-1"', 'region = "us-east-1"'));
    expect((await detect(ws.dir, { changedSince: 'HEAD' })).fallback?.to).toBe('full');
  });

  it('with a registry module not installed (otherwise a probe fallback): still full for the provider change', async () => {
    const files = { ...FILES, 'remote.tf': 'module "remote" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.0.0"\n  name    = local.name\n}\n' };
    const w = await recorded(files);
    expect((await detect(w.dir)).fallback?.to).toBe('probe');
    w.write('main.tf', MAIN.replace('region = "eu-west-1"', 'region = "us-east-1"'));
    expect((await detect(w.dir)).fallback?.to).toBe('full');
  });

  it('a provider reading an output of a module that is not installed follows that call\'s inputs', async () => {
    const files = {
      ...FILES,
      'main.tf': MAIN.replace('region = local.region', 'region = module.remote.region'),
      'remote.tf': 'module "remote" {\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.0.0"\n  name    = local.name\n}\n',
    };
    const w = await recorded(files);
    w.write('remote.tf', (files['remote.tf'] as string).replace('local.name', '"fixed"'));
    expect((await detect(w.dir)).fallback?.to).toBe('full');
  });

  it('with no ledger: the probe is not the answer when a provider is configured (it cannot see provider changes)', async () => {
    ws = tempWorkspace(FILES);
    const r = await detect(ws.dir);
    expect(r.fallback?.to).toBe('full');
    // With an empty provider block nothing in the configuration can have changed it: the probe settles the rest.
    const bare = tempWorkspace({ 'main.tf': 'provider "aws" {}\nresource "terraform_data" "static" {\n  input = "s"\n}\n' });
    try {
      expect((await detect(bare.dir)).fallback?.to).toBe('probe');
    } finally {
      bare.cleanup();
    }
  });

  it('velocity plan\'s default detector returns the full fallback without running the probe', async () => {
    const w = await recorded();
    w.write('main.tf', MAIN.replace('region = "eu-west-1"', 'region = "us-east-1"'));
    let probed = false;
    const probe: ChangeDetector = { name: 'probe', applies: () => true, detect: () => ((probed = true), Promise.resolve({ source: 'probe', changed: [], tookMs: 0 })) };
    const ctx: DetectContext = { binary: 'terraform', globalArgs: [], planArgs: [], targets: [], changed: [], cwd: w.dir, env: {}, tmpDir: w.dir, state: Promise.resolve(STATE) };
    const r = await defaultDetector({ fallback: probe }).detect(ctx);
    expect(probed).toBe(false);
    expect(r.fallback?.to).toBe('full');
  });

  it('an unchanged provider and an unrelated edit: no fallback', async () => {
    const w = await recorded();
    w.write('main.tf', MAIN.replace('input = "static"', 'input = "static2"'));
    const r = await detect(w.dir);
    expect(r.fallback).toBeUndefined();
    expect(r.changed).toEqual(['terraform_data.static']);
  });
});
