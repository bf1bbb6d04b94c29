import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigChangeDetector } from '../../src/detect/config-change-detector.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { smallState } from '../support/small-state.js';

const MAIN = `
resource "terraform_data" "a" {
  input = "a"
}
resource "terraform_data" "b" {
  count = 2
  input = "b"
}
`;
const STATE = ['terraform_data.a', 'terraform_data.b[0]', 'terraform_data.b[1]', 'terraform_data.gone'];

let ws: TempWorkspace | undefined;
afterEach(() => ws?.cleanup());

describe('the ledger', () => {
  it('without an entry for the lineage, falls back to the probe and says so', async () => {
    ws = tempWorkspace({ 'main.tf': MAIN });
    const r = await new ConfigChangeDetector().detect({ workingDir: ws.dir, state: smallState(STATE), env: {} });
    expect(r.fallback?.to).toBe('probe');
    expect(r.fallback?.reason).toMatch(/no ledger/);
  });

  it('recorded at the state serial, reports only what changed since, mapped to instances, plus orphans', async () => {
    ws = tempWorkspace({ 'main.tf': MAIN });
    const d = new ConfigChangeDetector();
    const state = smallState(STATE, 7);
    await d.record({ workingDir: ws.dir, state, env: {} });
    const clean = await d.detect({ workingDir: ws.dir, state, env: {} });
    expect(clean.fallback).toBeUndefined();
    // terraform_data.gone has instances in the state but no block: an orphan, always in the changed set.
    expect(clean.changed).toEqual(['terraform_data.gone']);
    ws.write('main.tf', MAIN.replace('input = "b"', 'input = "b2"') + 'resource "terraform_data" "c" {\n  input = "c"\n}\n');
    const r = await d.detect({ workingDir: ws.dir, state, env: {} });
    expect(r.fallback).toBeUndefined();
    expect(r.changed).toEqual(['terraform_data.b[0]', 'terraform_data.b[1]', 'terraform_data.gone']);
    expect(r.changedBlocks).toEqual(['terraform_data.b', 'terraform_data.c']);
    expect(r.newBlocks).toEqual(['terraform_data.c']);
    expect(r.removedBlocks).toEqual(['terraform_data.gone']);
  });

  it('recorded at another serial is stale: falls back to the probe', async () => {
    ws = tempWorkspace({ 'main.tf': MAIN });
    const d = new ConfigChangeDetector();
    await d.record({ workingDir: ws.dir, state: smallState(STATE, 7), env: {} });
    const r = await d.detect({ workingDir: ws.dir, state: smallState(STATE, 8), env: {} });
    expect(r.fallback?.to).toBe('probe');
    expect(r.fallback?.reason).toMatch(/stale/);
  });

  it('keeps one entry per lineage (several workspaces, one configuration)', async () => {
    ws = tempWorkspace({ 'main.tf': MAIN });
    const d = new ConfigChangeDetector();
    await d.record({ workingDir: ws.dir, state: smallState(STATE, 1, 'L1'), env: {} });
    await d.record({ workingDir: ws.dir, state: smallState(STATE, 5, 'L2'), env: {} });
    expect((await d.detect({ workingDir: ws.dir, state: smallState(STATE, 1, 'L1'), env: {} })).fallback).toBeUndefined();
    expect((await d.detect({ workingDir: ws.dir, state: smallState(STATE, 5, 'L2'), env: {} })).fallback).toBeUndefined();
  });

  it('rejects a file that is not a ledger with LEDGER_INVALID', async () => {
    ws = tempWorkspace({ 'main.tf': MAIN });
    const ledgerPath = join(ws.dir, 'not-a-ledger.json');
    writeFileSync(ledgerPath, '{"hello": 1}');
    await expect(new ConfigChangeDetector().detect({ workingDir: ws.dir, state: smallState(STATE), env: {}, ledgerPath })).rejects.toMatchObject({ code: 'LEDGER_INVALID' });
  });
});
