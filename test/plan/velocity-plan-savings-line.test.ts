// The savings line's placement and count, against a scripted stand-in for the binary (the real binary cannot be
// made to print a slow-lock message or a late refresh on demand). R must never be lower than what was printed.
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { capturePlan } from '../support/plan-capture.js';

const dir = mkdtempSync(join(tmpdir(), 'velocity-fakebin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const state = {
  version: 4, terraform_version: '1.11.4', serial: 1, lineage: 'x', outputs: {},
  resources: ['a', 'b', 'c'].map((name, i) => ({
    mode: 'managed', type: 'terraform_data', name, provider: 'provider["terraform.io/builtin/terraform"]',
    instances: [{ schema_version: 0, attributes: { id: name }, dependencies: i === 0 ? [] : ['terraform_data.a'] }],
  })),
};
const fake = join(dir, 'terraform');
writeFileSync(
  fake,
  `#!${process.execPath}
const args = process.argv.slice(2);
const out = (s) => process.stdout.write(s + '\\n');
if (args[0] === 'version') out('Terraform v1.11.4');
else if (args[0] === 'state') out(${JSON.stringify(JSON.stringify(state))});
else if (args[0] === 'plan') {
  out('Acquiring state lock. This may take a few moments...');
  out('');
  out('terraform_data.a: Refreshing state... [id=a]');
  out('\\u001b[0m\\u001b[1mterraform_data.b: Refreshing state... [id=b]\\u001b[0m');
  out('');
  out('No changes. Your infrastructure matches the configuration.');
  if (process.env.FAKE_LATE_REFRESH) out('terraform_data.c: Refreshing state... [id=c]');
  out('ARGS ' + JSON.stringify(args));
}
`,
);
chmodSync(fake, 0o755);

describe('velocity plan: the savings line', () => {
  it('comes after the refresh phase (lock messages and blank lines included), before the plan body, with R counted', async () => {
    const { result, stdout } = await capturePlan({ cwd: dir, env: { PATH: dir }, binary: fake, changed: ['terraform_data.b'] });
    const lines = stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('Refreshing state... [Velocity: 2/3 resources (33.3% savings)]'));
    expect(at).toBeGreaterThan(lines.findIndex((l) => l.includes('terraform_data.b: Refreshing state...')));
    expect(at).toBeLessThan(lines.findIndex((l) => l.startsWith('No changes.')));
    expect(result).toMatchObject({ refreshed: 2, cone: 1, refreshedAddresses: ['terraform_data.a', 'terraform_data.b'] });
    expect(lines.find((l) => l.startsWith('ARGS '))).toBe(`ARGS ${JSON.stringify(['plan', '-target=terraform_data.b'])}`);
  });

  it('is corrected upward when the binary refreshes more after it', async () => {
    const { result, stdout } = await capturePlan({ cwd: dir, env: { PATH: dir, FAKE_LATE_REFRESH: '1' }, binary: fake, changed: ['terraform_data.b'] });
    expect(result.refreshed).toBe(3);
    const savings = stdout.split('\n').filter((l) => l.startsWith('Refreshing state... [Velocity:'));
    expect(savings.map((l) => l.slice(0, 44))).toEqual(['Refreshing state... [Velocity: 2/3 resources', 'Refreshing state... [Velocity: 3/3 resources']);
    expect(stdout).toContain('Velocity: correction:');
  });
});

describe('velocity plan: pass-through and --verbose-refresh', () => {
  it("passes the user's flags verbatim and in order, adding only -target", async () => {
    const flags = ['-var-file=prod.tfvars', '-var', 'a={"x"="y z"}', '-lock=false', '-lock-timeout=5s', '-parallelism=3', '-compact-warnings', '-no-color'];
    const { stdout } = await capturePlan({ cwd: dir, env: { PATH: dir }, binary: fake, changed: ['terraform_data.b'], planArgs: flags });
    expect(stdout.split('\n').find((l) => l.startsWith('ARGS '))).toBe(`ARGS ${JSON.stringify(['plan', ...flags, '-target=terraform_data.b'])}`);
  });

  it('lists every resource as refreshed (in the cone or pulled in by -target) or served from cached state', async () => {
    const { stdout } = await capturePlan({ cwd: dir, env: { PATH: dir }, binary: fake, changed: ['terraform_data.b'], verboseRefresh: true });
    const lines = stdout.split('\n');
    expect(lines).toContain('terraform_data.a: Refreshing... (input of a -target)');
    expect(lines).toContain('terraform_data.b: Refreshing...');
    expect(lines).toContain('terraform_data.c: Using cached state (not in change cone)');
  });
});
