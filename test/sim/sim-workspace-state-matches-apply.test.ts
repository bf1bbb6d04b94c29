// The generated terraform.tfstate equals what terraform writes when it applies the same workspace (lineage and
// serial aside), so benchmarks can skip the slow apply.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useSimSession, terraformAvailable, writeSimWorkspace } from '../support/sim/index.js';

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
