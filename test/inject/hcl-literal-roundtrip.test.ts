// hclLiteral writes a value from the state as HCL that evaluates to that exact value: checked with the real binary
// on values fast-check generates (quotes, backslashes, template sequences, unicode, nesting, odd object keys).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hclLiteral } from '../../src/inject/hcl-literal.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

const text = fc.oneof(
  fc.string(),
  fc.constantFrom('${var.x}', '%{ if true }x%{ endif }', '$${kept}', 'a"b\\c', 'line\nbreak\ttab\r', 'é ü 中 🚀', '\u0001\u007f', 'null', 'true'),
);
const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  leaf: fc.oneof(text, fc.integer({ min: -1e9, max: 1e9 }), fc.constantFrom(0.5, -2.25, 1e-3), fc.boolean(), fc.constant(null)),
  node: fc.oneof({ depthSize: 'small' }, tie('leaf'), fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(text, tie('node'), { maxKeys: 4 })),
})).node;

/** Applies a configuration of outputs and returns their values as `terraform output -json` prints them. */
function evaluate(outputs: Record<string, string>): Record<string, { value: unknown; sensitive: boolean }> {
  const dir = mkdtempSync(join(tmpdir(), 'velocity-literal-'));
  try {
    writeFileSync(join(dir, 'main.tf'), Object.entries(outputs).map(([n, e]) => `output "${n}" {\n  value = ${e}\n  sensitive = true\n}\n`).join(''));
    execFileSync(tfBinary as string, ['apply', '-auto-approve', '-input=false', '-no-color'], { cwd: dir, env: tfEnv(), stdio: 'pipe' });
    return JSON.parse(execFileSync(tfBinary as string, ['output', '-json'], { cwd: dir, env: tfEnv(), encoding: 'utf8' })) as Record<string, { value: unknown; sensitive: boolean }>;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe.runIf(tfBinary)('hclLiteral against the real binary (skipped only without tofu/terraform)', () => {
  it('evaluates to the value it was given, for generated values', () => {
    const values = fc.sample(value, { numRuns: 120, seed: 42 });
    // NOTE: wrapped in a tuple: Terraform omits an output whose value is null.
    const got = evaluate(Object.fromEntries(values.map((v, i) => [`v${i}`, `[${hclLiteral(v)}]`])));
    values.forEach((v, i) => expect(got[`v${i}`]?.value, `value ${i}: ${JSON.stringify(v)}`).toEqual([v]));
  }, 120_000);

  it('converts to the schema type: sets, lists, maps, and unwraps dynamic attributes', () => {
    const got = evaluate({
      set: `length(${hclLiteral(['b', 'a', 'a'], ['set', 'string'])})`,
      indexable: `can(${hclLiteral(['b', 'a'], ['set', 'string'])}[0])`,
      list: hclLiteral([1, 2], ['list', 'number']),
      map: hclLiteral({ k: 'v' }, ['map', 'string']),
      dyn: hclLiteral({ value: { a: 1 }, type: ['object', { a: 'number' }] }, 'dynamic'),
    });
    expect(got['set']?.value).toBe(2); // duplicates collapse: a set
    expect(got['indexable']?.value).toBe(false); // a set cannot be indexed, a tuple could
    expect(got['list']?.value).toEqual([1, 2]);
    expect(got['map']?.value).toEqual({ k: 'v' });
    expect(got['dyn']?.value).toEqual({ a: 1 });
  }, 60_000);

  it('marks exactly the paths the state marks sensitive', () => {
    const literal = hclLiteral({ user: 'u', password: 'p', nested: { token: 't', keep: 'k' } }, undefined, [
      [{ type: 'get_attr', value: 'password' }],
      [{ type: 'get_attr', value: 'nested' }, { type: 'get_attr', value: 'token' }],
    ]);
    expect(literal).toContain('password = sensitive("p")');
    expect(literal).toContain('token = sensitive("t")');
    const got = evaluate({
      password: `issensitive((${literal}).password)`, token: `issensitive((${literal}).nested.token)`,
      user: `issensitive((${literal}).user)`, keep: `issensitive((${literal}).nested.keep)`,
    });
    expect([got['password']?.value, got['token']?.value, got['user']?.value, got['keep']?.value]).toEqual([true, true, false, false]);
  }, 60_000);
});
