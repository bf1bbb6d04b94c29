// The generated terraform.tfstate equals what terraform writes when it applies the same workspace (lineage and
// serial aside), so benchmarks can skip the slow apply; also with the customers (and their device values) in
// customers.auto.tfvars(.json) or in a locals map.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { plannedChanges, useSimSession, terraformAvailable, writeSimWorkspace } from '../support/sim/index.js';

function comparable(path: string): unknown {
  const state = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  delete state.lineage;
  delete state.serial;
  return state;
}

describe.skipIf(!terraformAvailable())('sim workspace: generated state (needs terraform)', () => {
  const session = useSimSession({ workspace: { customers: 2, tunnelsPerCustomer: 2, devicesPerCustomer: 3 }, sim: { inProcess: true } });

  it('equals what apply writes, apart from lineage and serial', async () => {
    const apply = await session().terraform(['apply', '-auto-approve', '-no-color']);
    expect(apply.code).toBe(0);
    const generatedDir = join(session().workspace.dir, 'generated');
    writeSimWorkspace(generatedDir, { customers: 2, tunnelsPerCustomer: 2, devicesPerCustomer: 3, withState: true });
    expect(comparable(join(generatedDir, 'terraform.tfstate'))).toEqual(comparable(join(session().workspace.dir, 'terraform.tfstate')));
  });
});

for (const customersIn of ['tfvars', 'tfvars-json', 'locals'] as const) {
  describe.skipIf(!terraformAvailable())(`sim workspace with customersIn ${customersIn}: generated state (needs terraform)`, () => {
    const options = { customers: 2, tunnelsPerCustomer: 2, devicesPerCustomer: 3, customersIn };
    const session = useSimSession({ workspace: options, sim: { inProcess: true } });

    it('equals what apply writes, and one setDeviceValue plans exactly that device as an update', async () => {
      const s = session();
      const apply = await s.terraform(['apply', '-auto-approve', '-no-color']);
      expect(apply.code, apply.stderr).toBe(0);
      const generatedDir = join(s.workspace.dir, 'generated');
      writeSimWorkspace(generatedDir, { ...options, withState: true });
      expect(comparable(join(generatedDir, 'terraform.tfstate'))).toEqual(comparable(join(s.workspace.dir, 'terraform.tfstate')));
      const file = s.workspace.setDeviceValue('c2', 'd3', 'v2');
      expect(file).toBe(join(s.workspace.dir, { tfvars: 'customers.auto.tfvars', 'tfvars-json': 'customers.auto.tfvars.json', locals: 'main.tf' }[customersIn]));
      const plan = await s.terraform(['plan', '-json', '-refresh=false', '-no-color']);
      expect(plan.code, plan.stderr).toBe(0);
      expect(plannedChanges(plan.stdout).map((c) => `${c.action} ${c.address}`)).toEqual([`update ${s.workspace.device('c2', 'd3').address}`]);
    });
  });
}
