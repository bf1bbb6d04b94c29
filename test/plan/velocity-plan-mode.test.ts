// velocityPlan's `mode` option: `full` passes the plan through untouched, `target` runs -target, inject and auto fall
// back to -target saying why when there is nothing to inject (this workspace has no configuration),
// `strategy: 'full'` stays an alias, and a contradiction between the two is USAGE before any binary runs.
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeBinary } from '../support/fake-binary.js';
import { capturePlan } from '../support/plan-capture.js';
import { stateJson } from '../support/state-builder.js';

const fake = fakeBinary({ version: 'Terraform v1.11.4' });
writeFileSync(join(fake.dir, 'terraform.tfstate'), stateJson([{ name: 'a' }, { name: 'b', dependencies: ['terraform_data.a'] }, { name: 'c' }]));
afterAll(() => fake.cleanup());
const env = { PATH: '/usr/bin:/bin', VELOCITY_CACHE_DIR: join(tmpdir(), 'velocity-test-cache') };
const plan = (options: Parameters<typeof capturePlan>[0]) => capturePlan({ cwd: fake.dir, env, binary: fake.path, changed: ['terraform_data.b'], ...options });

describe('velocityPlan({ mode })', () => {
  it('full: the plan untouched, execution full', async () => {
    const { result } = await plan({ mode: 'full' });
    expect(result).toMatchObject({ mode: 'full', execution: 'full', command: ['plan'] });
  });

  it('target: a -target plan for the cone; inject and auto the same here, with the reason', async () => {
    const target = (await plan({ mode: 'target' })).result;
    expect(target).toMatchObject({ execution: 'target', command: ['plan', '-target=terraform_data.b'] });
    expect(target.injectFallback).toBeUndefined();
    for (const mode of ['inject', 'auto'] as const) {
      const { result } = await plan({ mode });
      expect(result, mode).toMatchObject({ execution: 'target', command: ['plan', '-target=terraform_data.b'] });
      expect(result.injectFallback, mode).toEqual(expect.any(String));
    }
  });

  it("strategy 'full' is mode full; a contradiction is USAGE and runs nothing", async () => {
    expect((await plan({ strategy: 'full' })).result.execution).toBe('full');
    const before = fake.calls('version').length;
    await expect(plan({ strategy: 'full', mode: 'target' })).rejects.toMatchObject({ code: 'USAGE', exitCode: 2 });
    expect(fake.calls('version')).toHaveLength(before);
  });
});
