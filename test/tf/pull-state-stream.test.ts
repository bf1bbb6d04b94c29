// `state pull` is streamed into the scanner chunk by chunk (never one string, so remote states over 512 MB load):
// a scripted binary prints a state in many separate writes; the chunks arrive as the binary writes them, the graph
// is whole, a failing pull reports its exit code, and a reader that stops early kills the binary.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadStateGraph } from '../../src/graph/load-state-graph.js';
import { pullState } from '../../src/tf/pull-state.js';

const dir = mkdtempSync(join(tmpdir(), 'velocity-pull-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const N = 2000;
const state = JSON.stringify({
  version: 4, terraform_version: '1.11.4', serial: 3, lineage: 'pulled', outputs: {},
  resources: [{ mode: 'managed', type: 'terraform_data', name: 'r', provider: 'provider["terraform.io/builtin/terraform"]', instances: Array.from({ length: N }, (_, i) => ({ index_key: i, schema_version: 0, attributes: { id: `r${i}`, pad: 'x'.repeat(200) }, dependencies: [] })) }],
});
const fake = join(dir, 'terraform');
writeFileSync(
  fake,
  `#!${process.execPath}
const text = ${JSON.stringify(state)};
if (process.env.FAKE_FAIL) { process.stderr.write('Error: backend not initialized\\n'); process.exit(1); }
let at = 0;
const step = () => {
  if (at >= text.length) return;
  const next = Math.min(text.length, at + 16384);
  process.stdout.write(text.slice(at, next), () => { at = next; setTimeout(step, 1); });
};
step();
`,
);
chmodSync(fake, 0o755);

describe('pullState', () => {
  it('streams the binary stdout in chunks into loadStateGraph', async () => {
    const pull = pullState(fake, [], { cwd: dir, env: {} });
    let chunks = 0;
    async function* counted(): AsyncGenerator<Uint8Array> {
      for await (const c of pull.chunks) {
        chunks++;
        yield c;
      }
    }
    const { graph } = await loadStateGraph(counted(), { sourceName: 'state pull' });
    expect(graph.size).toBe(N);
    expect(graph.meta.lineage).toBe('pulled');
    expect(chunks).toBeGreaterThan(1);
    expect((await pull.exited).exitCode).toBe(0);
  });

  it('reports a failed pull with its exit code', async () => {
    const pull = pullState(fake, [], { cwd: dir, env: { FAKE_FAIL: '1' } });
    await expect(loadStateGraph(pull.chunks)).rejects.toMatchObject({ code: 'STATE_EMPTY' });
    expect((await pull.exited).exitCode).toBe(1);
  });

  it('kills the binary when the reader stops early', async () => {
    const pull = pullState(fake, [], { cwd: dir, env: {} });
    for await (const chunk of pull.chunks) {
      expect(chunk.length).toBeGreaterThan(0);
      break;
    }
    const exited = await pull.exited;
    expect(exited.exitCode).not.toBe(0);
  });

  it('aborts with TF_ABORTED', async () => {
    const controller = new AbortController();
    const pull = pullState(fake, [], { cwd: dir, env: {}, signal: controller.signal });
    controller.abort();
    await expect(pull.exited).rejects.toMatchObject({ code: 'TF_ABORTED' });
  });
});
