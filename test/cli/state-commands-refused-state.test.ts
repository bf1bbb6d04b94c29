// Every command that reads a state refuses one Terraform refuses: exit 1 with its typed code naming the address,
// never exit 70 (`graph` used to die in Graph.addNode) nor a silent answer (`scope` used to count one address twice).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-harness.js';
import { REFUSED_STATES } from '../support/refused-states.js';

const scratch = mkdtempSync(join(tmpdir(), 'velocity-cli-refused-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const env = { VELOCITY_CACHE_DIR: join(scratch, 'cache') };

const COMMANDS: readonly [string, (state: string, address: string) => string[]][] = [
  ['scope --changed', (s, a) => ['scope', '--state', s, '--changed', a.replace(/\[.*\]$/, ''), '--json']],
  ['scope --target', (s, a) => ['scope', '--state', s, '--target', a.replace(/\[.*\]$/, '')]],
  ['cone bottom', (s, a) => ['cone', 'bottom', a.replace(/\[.*\]$/, ''), '--state', s]],
  ...(['dot', 'mermaid', 'json', 'graphml', 'gexf', 'html'] as const).map((f) => [`graph --format ${f}`, (s: string) => ['graph', '--state', s, '--format', f]] as [string, (s: string, a: string) => string[]]),
];

describe('state-reading commands on states Terraform refuses', () => {
  it.each(REFUSED_STATES.map((s, i) => [s.name, s, i] as const))('%s', async (_name, state, i) => {
    const file = join(scratch, `s${i}.tfstate`);
    writeFileSync(file, state.text);
    for (const [name, argv] of COMMANDS) {
      const r = await runCli(argv(file, state.address), { env, cwd: scratch });
      expect(r.code, `${name}: ${r.stderr}`).toBe(1);
      expect(r.stderr, name).toContain(`error[${state.code}]`);
      expect(r.stderr, name).toContain(state.address);
      expect(r.stdout, name).toBe('');
    }
  });
});
