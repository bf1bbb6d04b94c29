// Push commit against an http backend with the real binary: the merged state goes through `state pull` and
// `state push` (the backend then holds it at the serial commitSubState reports); when the backend's serial moved since the plan it is a
// STATE_MOVED and nothing is pushed.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitSubState } from '../../src/apply/commit-sub-state.js';
import { startStateServer, type StateServer } from '../support/http-state-server.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';
import { tfOk } from '../support/terraform-run.js';

interface Doc { serial: number; lineage: string; resources: { name: string; instances: { attributes: { input: { value: unknown } } }[] }[] }

describe.runIf(tfBinary)('commitSubState through state push (skipped only without tofu/terraform)', () => {
  let server: StateServer;
  let dir: string;
  const owned = { resources: [{ module: '', mode: 'managed' as const, type: 'terraform_data', name: 'b' }], outputs: [] };
  beforeAll(async () => {
    server = await startStateServer();
    dir = mkdtempSync(join(tmpdir(), 'velocity-commit-push-'));
    writeFileSync(join(dir, 'main.tf'), [
      `terraform {\n  backend "http" {\n    address = "${server.url}"\n    lock_address = "${server.url}"\n    unlock_address = "${server.url}"\n  }\n}`,
      'resource "terraform_data" "a" {\n  input = "a"\n}',
      'resource "terraform_data" "b" {\n  input = "b"\n}',
    ].join('\n\n'));
    // NOTE: asynchronous runs: the state server lives in this process, a synchronous child would block it.
    await tfOk(dir, ['init', '-input=false', '-no-color']);
    await tfOk(dir, ['apply', '-auto-approve', '-input=false', '-no-color']);
  }, 120_000);
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await server?.close();
  });

  /** A sub-state of the current backend state with terraform_data.b's input set to `input`. */
  async function subStateWith(input: string): Promise<{ path: string; real: Doc }> {
    const real = JSON.parse(await tfOk(dir, ['state', 'pull'])) as Doc;
    const b = real.resources.filter((r) => r.name === 'b').map((r) => ({ ...r, instances: r.instances.map((i) => ({ ...i, attributes: { ...i.attributes, input: { value: input, type: 'string' } } })) }));
    const sub = join(dir, 'sub');
    mkdirSync(sub, { recursive: true });
    writeFileSync(join(sub, 'terraform.tfstate'), JSON.stringify({ ...real, serial: real.serial + 1, resources: b }, null, 2));
    return { path: join(sub, 'terraform.tfstate'), real };
  }

  const target = () => ({ kind: 'push' as const, binary: tfBinary as string, globalArgs: [], cwd: dir, env: tfEnv() });

  it('pushes the merged state', async () => {
    const { path, real } = await subStateWith('b2');
    const result = await commitSubState({ target: target(), expected: { serial: real.serial, lineage: real.lineage }, subState: path, sliceSerial: real.serial, owned, tmpDir: join(dir, 'tmp') });
    // The merged state is pushed at plan serial + 1; the binary's push bumps it once more.
    expect(result).toMatchObject({ kind: 'written', serial: real.serial + 2, summary: { resources: { replaced: 1, added: 0, removed: 0 } } });
    const now = JSON.parse(await tfOk(dir, ['state', 'pull'])) as Doc;
    expect(now.serial).toBe(real.serial + 2);
    expect(now.lineage).toBe(real.lineage);
    expect(now.resources.map((r) => [r.name, r.instances[0]?.attributes.input.value])).toEqual([['a', 'a'], ['b', 'b2']]);
    expect(readFileSync(path, 'utf8')).toContain('"b2"');
  });

  it('refuses a moved serial and pushes nothing', async () => {
    const { path, real } = await subStateWith('b3');
    const posts = server.log.filter((l) => l.startsWith('POST')).length;
    const error = await commitSubState({ target: target(), expected: { serial: real.serial - 1, lineage: real.lineage }, subState: path, sliceSerial: real.serial - 1, owned, tmpDir: join(dir, 'tmp') }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'STATE_MOVED', expectedSerial: real.serial - 1, foundSerial: real.serial, subStatePath: path });
    expect(server.log.filter((l) => l.startsWith('POST')).length).toBe(posts);
    expect((JSON.parse(await tfOk(dir, ['state', 'pull'])) as Doc).serial).toBe(real.serial);
  });
});
