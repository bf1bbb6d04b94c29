// The malformed shapes velocity refuses are exactly those the real Terraform refuses: `terraform state list
// -state=F` fails on every REFUSED_STATES entry and lists the same addresses as velocity for every ACCEPTED_STATES one;
// STRICTER_THAN_TERRAFORM lists the one deliberate difference.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { ACCEPTED_STATES, REFUSED_STATES, STRICTER_THAN_TERRAFORM } from '../support/refused-states.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

const execFileAsync = promisify(execFile);
const scratch = mkdtempSync(join(tmpdir(), 'velocity-tf-verdict-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function stateList(text: string, name: string): Promise<{ ok: boolean; out: string }> {
  const file = join(scratch, `${name}.tfstate`);
  writeFileSync(file, text);
  try {
    const { stdout } = await execFileAsync(tfBinary!, ['state', 'list', `-state=${file}`], { cwd: scratch, env: tfEnv() });
    return { ok: true, out: stdout };
  } catch (error) {
    return { ok: false, out: String((error as { stderr?: string }).stderr) };
  }
}

describe.skipIf(!tfBinary)('Terraform gives the same verdict on the malformed shapes', () => {
  it('refuses every state velocity refuses', async () => {
    for (const [i, s] of REFUSED_STATES.entries()) {
      const r = await stateList(s.text, `refused-${i}`);
      expect(r.ok, `${s.name}: ${r.out}`).toBe(false);
      expect(r.out, s.name).toMatch(/Failed to load state/);
    }
  });

  it('loads every near miss velocity loads, with the same addresses', async () => {
    for (const [i, s] of ACCEPTED_STATES.entries()) {
      const r = await stateList(s.text, `accepted-${i}`);
      expect(r.ok, `${s.name}: ${r.out}`).toBe(true);
      expect(r.out.split('\n').filter((l) => l !== '').sort(), s.name).toEqual(s.addresses);
    }
  });

  it('loads the shapes velocity refuses on purpose (the documented divergence)', async () => {
    for (const [i, s] of STRICTER_THAN_TERRAFORM.entries()) expect((await stateList(s.text, `stricter-${i}`)).ok, s.name).toBe(true);
  });
});
