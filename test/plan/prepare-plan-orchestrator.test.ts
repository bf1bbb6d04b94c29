// The orchestrator's use of the pipeline: preparePlan with a graph and a detection it already has reads no state and
// runs no detector; velocityPlan with a lock manager holds exactly `prepared.scope.refresh` while the binary runs and
// releases it afterwards, also when the run fails. A scripted stand-in binary logs every invocation.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StateGraph } from '../../src/graph/state-graph.js';
import { MemoryResourceLockManager } from '../../src/lock/memory-resource-lock-manager.js';
import type { LockInfo } from '../../src/lock/lock-info.js';
import { executePlan } from '../../src/plan/execute-plan.js';
import { preparePlan } from '../../src/plan/prepare-plan.js';
import { velocityPlan } from '../../src/plan/velocity-plan.js';
import { parseState } from '../../src/state/parse-state.js';

const dir = mkdtempSync(join(tmpdir(), 'velocity-orch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const log = join(dir, 'calls.log');

const state = {
  version: 4, terraform_version: '1.11.4', serial: 1, lineage: 'x', outputs: {},
  resources: ['a', 'b', 'c', 'd'].map((name, i) => ({
    mode: 'managed', type: 'terraform_data', name, provider: 'provider["terraform.io/builtin/terraform"]',
    instances: [{ schema_version: 0, attributes: { id: name }, dependencies: i === 0 ? [] : i === 3 ? [] : ['terraform_data.a'] }],
  })),
};
const fake = join(dir, 'terraform');
writeFileSync(
  fake,
  `#!${process.execPath}
const fs = require('node:fs');
const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify(args) + '\\n');
const out = (s) => process.stdout.write(s + '\\n');
if (args[0] === 'version') out('Terraform v1.11.4');
else if (args[0] === 'state') out(${JSON.stringify(JSON.stringify(state))});
else if (args[0] === 'plan') {
  for (const a of args) if (a.startsWith('-target=')) out(a.slice(8) + ': Refreshing state... [id=x]');
  out('');
  out('No changes. Your infrastructure matches the configuration.');
  process.exit(process.env.FAKE_FAIL ? 1 : 0);
}
`,
);
chmodSync(fake, 0o755);
const calls = (): string[][] => readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as string[]);

/** A memory lock manager that logs acquisitions and releases in order, next to the binary's first output line. */
function spyLocks(events: string[]): MemoryResourceLockManager {
  const manager = new MemoryResourceLockManager();
  const lockResources = manager.lockResources.bind(manager);
  manager.lockResources = async (resources, info, options) => {
    const handle = await lockResources(resources, info, options);
    events.push(`lock ${handle.resources.join(' ')}`);
    const unlock = handle.unlock.bind(handle);
    return Object.assign(handle, { unlock: async () => {
      events.push('unlock');
      await unlock();
    } });
  };
  return manager;
}

describe('preparePlan for an orchestrator', () => {
  it('uses the graph and detection it is given: no state pull, no detector', async () => {
    writeFileSync(log, '');
    const graph = StateGraph.fromState(parseState(JSON.stringify(state)));
    const prepared = await preparePlan({ cwd: dir, env: { PATH: dir }, binary: fake, graph, detection: { source: 'queue', changed: ['terraform_data.b'], tookMs: 0 } });
    expect(prepared.stateSource).toBe('graph');
    expect(prepared.execution.mode).toBe('target');
    // The scope of target mode counts the target's input (a) as refreshed, never as served from state.
    expect(prepared.scope.refresh).toEqual(['terraform_data.a', 'terraform_data.b']);
    expect(prepared.scope.static).toEqual([]);
    const result = await executePlan(prepared);
    expect(result.mode).toBe('optimized');
    expect(calls().map((c) => c[0])).toEqual(['version', 'plan']);
  });

  it('velocityPlan holds exactly prepared.scope.refresh while the binary runs, and releases it (also on failure)', async () => {
    for (const fail of [false, true]) {
      const events: string[] = [];
      const manager = spyLocks(events);
      const env = { PATH: dir, ...(fail ? { FAKE_FAIL: '1' } : {}) };
      const expected = await preparePlan({ cwd: dir, env, binary: fake, changed: ['terraform_data.b'] });
      expected.dispose();
      const result = await velocityPlan({
        cwd: dir, env, binary: fake, changed: ['terraform_data.b'], lockManager: manager,
        output: () => void (events.at(-1) === 'output' || events.push('output')),
      });
      expect(result.exitCode).toBe(fail ? 1 : 0);
      expect(events).toEqual([`lock ${expected.scope.refresh.join(' ')}`, 'output', 'unlock']);
      expect(await manager.locks()).toEqual([]);
    }
  });

  it('a lock conflict stops the plan before the binary runs', async () => {
    writeFileSync(log, '');
    const manager = new MemoryResourceLockManager();
    const info: LockInfo = { ID: '00000000-0000-4000-8000-000000000001', Operation: 'OperationTypeApply', Info: '', Who: 'other', Version: '', Created: new Date().toISOString(), Path: '' };
    const other = await manager.lockResources(['terraform_data.a'], info);
    await expect(velocityPlan({ cwd: dir, env: { PATH: dir }, binary: fake, changed: ['terraform_data.b'], lockManager: manager })).rejects.toMatchObject({ code: 'LOCK_CONFLICT' });
    expect(calls().some((c) => c[0] === 'plan')).toBe(false);
    await other.unlock();
  });
});
