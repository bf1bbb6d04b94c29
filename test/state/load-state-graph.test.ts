// The streaming loader feeds the graph: StateGraph.fromState(await loadState(path)) on a generated state
// file gives one node per instance and the module-instance-aware dependency edges the records carry.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { StateGraph } from '../../src/graph/state-graph.js';
import { bottomCone } from '../../src/cone/bottom-cone.js';
import { loadState } from '../../src/state/load-state.js';
import { syntheticStateChunks } from '../support/synthetic-state-chunks.js';

const scratch = mkdtempSync(join(tmpdir(), 'velocity-load-graph-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('StateGraph from the streaming loader', () => {
  it('builds the graph of a generated 2,000-resource state file', async () => {
    const file = join(scratch, 'state.tfstate');
    writeFileSync(file, Buffer.concat([...syntheticStateChunks(2000, 64 * 1024, { perModule: 20 })]));
    const graph = StateGraph.fromState(await loadState(file));
    expect(graph.size).toBe(2000);
    // In each customer module r1 depends on r0, r2 on r1, ... (count resources carry an index key).
    const r0 = 'module.customer["c7"].terraform_data.r0';
    expect(graph.has(r0)).toBe(true);
    const downstream = bottomCone(graph, [r0]);
    expect(downstream).toContain('module.customer["c7"].terraform_data.r1');
    expect(downstream).toContain('module.customer["c7"].terraform_data.r4[4]');
    // Module-instance-aware: nothing in another customer is downstream of c7's r0.
    expect(downstream.every((a) => a.startsWith('module.customer["c7"].'))).toBe(true);
    expect(downstream.length).toBe(20);
  });
});
