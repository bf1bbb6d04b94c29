// Every CLI command through a real `| head -1` (issue 16 item 7): velocity stops quietly when the reader goes away, as
// Unix tools do: no stack trace, no "Unhandled 'error' event", exit 141 (128 + SIGPIPE) when output was cut, 0 when it
// all fit; `plan` stops its terraform (which releases the state lock) and removes its temp dir.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { commands } from '../../src/cli/commands.js';
import { dropSchema, freshSchema } from '../lock/helpers/pg-test-schema.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';
import { assertFreshBuild, velocityBin } from '../support/built-package.js';

interface Piped {
  /** velocity's own exit status (bash PIPESTATUS[0]). */
  readonly status: number;
  /** What `head -1` printed. */
  readonly head: string;
  readonly stderr: string;
}

/** `bash -c 'node bin/velocity.js ARGS | head -1'`, velocity's status captured apart from head's. */
function throughHead(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Piped> {
  const statusFile = join(env['TMPDIR'] as string, `status-${process.hrtime.bigint()}`);
  const script = 'node "$0" "$@" | head -1; echo "${PIPESTATUS[0]}" > "$VELOCITY_STATUS_FILE"';
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-c', script, velocityBin, ...args], { cwd, env: { ...env, VELOCITY_STATUS_FILE: statusFile }, stdio: ['ignore', 'pipe', 'pipe'] });
    let head = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (head += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', () => {
      clearTimeout(timer);
      const status = Number(readFileSync(statusFile, 'utf8').trim());
      rmSync(statusFile, { force: true });
      resolve({ status, head, stderr });
    });
  });
}

/** velocity with its stdout's reader closed before it starts: its first write to stdout fails with EPIPE. */
function readerGone(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [velocityBin, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stderr });
    });
  });
}

/** Processes whose working directory is `dir` (a terraform left running in the workspace). Linux /proc. */
function processesIn(dir: string): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readlinkSync(`/proc/${name}/cwd`) === dir) out.push(Number(name));
    } catch {
      // exited, or not ours to read
    }
  }
  return out;
}

describe.runIf(tfBinary !== undefined && process.platform === 'linux')('every command | head -1 (skipped only without tofu/terraform, or off Linux: it finds leftover processes in /proc)', () => {
  let ws: string;
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  let schema: string;
  const url = inject('pgUrl');

  beforeAll(async () => {
    assertFreshBuild();
    ws = mkdtempSync(join(tmpdir(), 'velocity-epipe-'));
    tmp = mkdtempSync(join(tmpdir(), 'velocity-epipe-tmp-'));
    schema = freshSchema('epipe');
    env = tfEnv({ TMPDIR: tmp, VELOCITY_CACHE_DIR: join(tmp, 'cache'), VELOCITY_TF_BINARY: tfBinary as string, DATABASE_URL: url, TF_INPUT: '0' });
    // 3,001 terraform_data resources (config + state), so most outputs are far over a pipe's 64 KiB buffer.
    const synth = await throughHead(['synth', '--resources', '3000', '--shape', 'customers', '--out', ws], ws, env);
    expect(synth.status, synth.stderr).toBe(0);
    const init = spawn(tfBinary as string, ['init', '-input=false', '-no-color'], { cwd: ws, env, stdio: 'ignore' });
    expect(await new Promise((r) => init.on('close', r))).toBe(0);
  });
  afterAll(async () => {
    if (ws) rmSync(ws, { recursive: true, force: true });
    if (tmp) rmSync(tmp, { recursive: true, force: true });
    if (schema) await dropSchema(url, schema);
  });

  it('exits quietly (141 when cut, else 0), never a stack trace; plan stops terraform and cleans up', async () => {
    const leaf = 'module.customer["c00000"].terraform_data.device["d01"]';
    const pg = ['--lock-backend', 'postgres', '--schema', schema];
    // [command, args, output larger than a pipe buffer (so it must be cut)]
    const runs: [string, string[], boolean][] = [
      ['cone', ['bottom', 'terraform_data.controller', '--state', 'terraform.tfstate'], true],
      ['graph', ['--state', 'terraform.tfstate'], true],
      ['scope', ['--state', 'terraform.tfstate', '--changed', 'terraform_data.controller', '--verbose'], true],
      ['detect', ['--state', 'terraform.tfstate'], true], // no ledger yet: every instance is listed
      ['ledger', ['record', '--state', 'terraform.tfstate'], false],
      ['plan', ['--dry-run-refresh', '--verbose-refresh', '--changed', leaf], true],
      ['plan', ['--refresh-strategy=full', '-no-color'], true], // a real plan: 3,001 "Refreshing state..." lines
      ['drift', ['--budget', '100'], false], // a refresh-only plan of 31 instances in a sub-workspace; nothing drifted
      ['apply', ['--dry-run-refresh', '--verbose-refresh', '--changed', leaf], true],
      ['merge', ['--help'], false],
      ['synth', ['--resources', '10', '--shape', 'chain', '--out', join(tmp, 'small')], false],
      ['lock', ['module.customer', '--state', 'terraform.tfstate', ...pg], false],
      ['locks', pg, false], // a few lines: a module lock is one row
      ['unlock', ['<id>', ...pg], false],
      // `serve` runs until stopped and prints its block at once (the pipe buffer takes it): its --help here, and a
      // real server in the reader-gone case below.
      ['serve', ['--help'], false],
      ['state', ['--help'], false],
      ['db', ['migrate', 'status', '--schema', schema], false],
      ['deps', ['ls', '--deps', join(tmp, 'deps.json')], false],
    ];
    expect([...new Set(runs.map(([c]) => c))].sort()).toEqual(Object.keys(commands).sort());
    let lockId = '';
    for (const [command, args, cut] of runs) {
      const r = await throughHead([command, ...args.map((a) => (a === '<id>' ? lockId : a))], ws, env);
      const what = `velocity ${command} ${args.join(' ')}: ${r.stderr}`;
      expect(r.stderr, what).not.toMatch(/Unhandled|EPIPE|internal error|^\s+at /m);
      if (cut) expect(r.status, what).toBe(141);
      else expect([0, 141], what).toContain(r.status);
      expect(r.head.split('\n').length, what).toBeLessThanOrEqual(2);
      if (command === 'lock') lockId = r.head.trim();
      if (command === 'plan' || command === 'apply' || command === 'drift') {
        expect(readdirSync(tmp).filter((n) => n.startsWith('velocity-plan-')), what).toEqual([]);
        expect(processesIn(ws), what).toEqual([]);
        expect(existsSync(join(ws, '.terraform.tfstate.lock.info')), what).toBe(false);
      }
    }
    expect(lockId).toMatch(/^[0-9a-f-]{36}$/);
    // The lock taken through the pipe was released by `unlock` through the pipe.
    const after = await throughHead(['locks', ...pg], ws, env);
    expect(after).toMatchObject({ status: 0, head: 'no locks held\n' });
  });

  it('with the reader gone before the first write, every command that prints exits 141 and says nothing', async () => {
    const pg = ['--lock-backend', 'postgres', '--schema', schema];
    const runs: [string, string[]][] = [
      ['cone', ['top', 'terraform_data.controller', '--state', 'terraform.tfstate']],
      ['graph', ['--state', 'terraform.tfstate', '--format', 'json']],
      ['scope', ['--state', 'terraform.tfstate', '--changed', 'terraform_data.controller']],
      ['detect', ['--state', 'terraform.tfstate']],
      ['ledger', ['record', '--state', 'terraform.tfstate']],
      ['plan', ['--refresh-strategy=full', '-no-color']],
      ['apply', ['--dry-run-refresh', '--verbose-refresh', '--changed', 'terraform_data.controller']],
      ['merge', ['--help']],
      ['synth', ['--resources', '10', '--shape', 'chain', '--out', join(tmp, 'small2')]],
      ['lock', ['terraform_data.controller', ...pg]],
      ['locks', pg],
      ['serve', ['--listen', '127.0.0.1:0', '--schema', schema]],
      ['state', ['--help']],
      ['db', ['migrate', 'status', '--schema', schema]],
      ['deps', ['ls', '--deps', join(tmp, 'deps.json')]],
    ];
    for (const [command, args] of runs) {
      const r = await readerGone([command, ...args], ws, env);
      const what = `velocity ${command} ${args.join(' ')}: ${r.stderr}`;
      expect(r.status, what).toBe(141);
      expect(r.stderr, what).not.toMatch(/Unhandled|EPIPE|internal error|^\s+at /m);
      if (command === 'plan') {
        expect(readdirSync(tmp).filter((n) => n.startsWith('velocity-plan-')), what).toEqual([]);
        expect(processesIn(ws), what).toEqual([]);
      }
    }
    // `unlock` prints only to stderr: nothing is cut, it succeeds.
    const held = await throughHead(['locks', ...pg, '--json'], ws, env);
    const [lock] = JSON.parse(held.head) as { id: string }[];
    const unlock = await readerGone(['unlock', lock?.id ?? '', ...pg], ws, env);
    expect(unlock.status, unlock.stderr).toBe(0);
    // `drift` prints on stdout only what drifted (nothing here), so it has nothing to cut either.
    expect(Object.keys(commands).sort()).toEqual([...runs.map(([c]) => c), 'unlock', 'drift'].sort());
  });
});
