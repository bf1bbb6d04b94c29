// Plain terraform on a state changed by a subgraph write: a sub-workspace applied `a = "ALPHA"` (and b, which reads
// a, and the output) and wrote only those rows; with the config changed the same way, terraform reads the merged
// state, plans no changes, and its next write (serial after the subgraph's) is accepted and shares every row.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tfBinary } from '../support/terraform-env.js';
import { tfOk, tfRun } from '../support/terraform-run.js';
import { SAMPLE_BLOCKS, sampleServeWorkspace, useServeFixture } from './helpers/serve-fixture.js';
import { currentDoc, currentRows, takeLock, writeSubgraph, type Entry } from './helpers/subgraph-requests.js';

const upper = (inst: Record<string, unknown>): Record<string, unknown> => {
  const attributes = { ...(inst['attributes'] as Record<string, unknown>), input: { value: 'ALPHA', type: 'string' }, output: { value: 'ALPHA', type: 'string' } };
  return { ...inst, attributes };
};

describe.runIf(tfBinary !== undefined)('terraform after a subgraph write (skipped only when no tofu/terraform binary)', () => {
  const fx = useServeFixture();

  it('reads the merged state and plans no changes', async () => {
    const { guid, dir, env } = await sampleServeWorkspace(fx(), 'after-subgraph', { apply: true });
    const doc = await currentDoc(fx(), guid);
    const a = doc.resources.find((r) => r.name === 'a') as Entry;
    const b = doc.resources.find((r) => r.name === 'b') as Entry;
    const lock = await takeLock(fx(), guid, ['terraform_data.a', 'terraform_data.b', 'output.a']);
    const w = await writeSubgraph(fx(), guid, lock.json?.['id'] as string, {
      lineage: doc.lineage,
      base_serial: doc.serial,
      terraform_version: doc.terraform_version,
      owned: { resources: [{ mode: 'managed', type: 'terraform_data', name: 'a' }, { mode: 'managed', type: 'terraform_data', name: 'b' }], outputs: ['a'] },
      resources: [{ ...a, instances: a.instances.map(upper) }, { ...b, instances: b.instances.map(upper) }],
      outputs: { a: { value: 'ALPHA', type: 'string' } },
    });
    expect([w.status, w.json?.['closed'], w.json?.['added']], w.text).toEqual([200, 2, 2]);
    expect((await fetch(`${fx().server.url}/tfstate/${guid}/locks/${lock.json?.['id'] as string}`, { method: 'DELETE' })).status).toBe(200);

    writeFileSync(join(dir, 'main.tf'), SAMPLE_BLOCKS.map((b) => b.replace('"alpha"', '"ALPHA"')).join('\n\n'));
    const plan = await tfRun(dir, ['plan', '-input=false', '-no-color', '-detailed-exitcode'], env);
    expect(plan.code, plan.stdout + plan.stderr).toBe(0);
    // terraform's own next write: the serial after the subgraph's, every row shared.
    const rows = await currentRows(fx(), guid);
    await tfOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color', '-refresh-only'], env);
    const history = await fx().store.history(guid);
    expect(history.at(-2)?.source).toBe('subgraph');
    expect([history.at(-1)?.source, history.at(-1)?.serial]).toEqual(['push', (history.at(-2)?.serial ?? 0) + 1]);
    expect(await currentRows(fx(), guid)).toEqual(rows);
  });
});
