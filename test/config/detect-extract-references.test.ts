import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { analyzeTemplates, extractReferences } from '../../src/config/extract-references.js';
import { summarizeConfigFile } from '../../src/config/summarize-config-file.js';

describe('extractReferences', () => {
  it('finds variables, locals, module outputs, data sources, path and terraform.workspace in JSON-syntax expressions', async () => {
    const facts = await analyzeTemplates('t.tf', [
      '${var.region}-${local.name}',
      '${module.net.subnet_ids[0]}',
      '${module.db["x"].endpoint}',
      '${data.aws_ami.ubuntu.id}',
      '${terraform.workspace}',
      '${path.module}/x',
    ]);
    const all = [...facts.values()].flatMap((f) => f.refs).sort();
    expect(all).toEqual([
      'data.aws_ami.ubuntu',
      'local.name',
      'module.db.endpoint',
      'module.net.subnet_ids',
      'path.module',
      'terraform.workspace',
      'var.region',
    ]);
  });

  it('names the whole module when the output cannot be read statically', async () => {
    expect(await extractReferences('${module.m[var.keys[0]].out}')).toEqual(['module.m', 'var.keys']);
    expect(await extractReferences('${module.m}')).toEqual(['module.m']);
  });

  it('does not take identifiers that merely end in a root name, nor names inside string literals', async () => {
    expect(await extractReferences('${myvar.x} ${nolocal.y} ${xmodule.z.w} ${"var.q"}')).toEqual([]);
  });

  it('finds references inside directives, heredoc-style multi-line calls and for expressions', async () => {
    expect(await extractReferences('%{ for i in local.items }${i}-${var.sep}%{ endfor }')).toEqual(['local.items', 'var.sep']);
    expect(await extractReferences('${[for k, v in var.list : v.x if k != each.key]}')).toEqual(['each', 'var.list']);
  });

  it('finds file reads with their static paths, and computed ones', async () => {
    const facts = await analyzeTemplates('t.tf', ['${file("${path.module}/a.txt")}', '${templatefile(var.p, {})}']);
    expect([...facts.values()].flatMap((f) => f.files)).toEqual([{ fn: 'file', path: '${path.module}/a.txt' }, { fn: 'templatefile' }]);
  });

  // Issue 16 item 14: `merge(\n\t\tvar.base, ...)` lost var.base (the textual lookbehind saw the `t` of `\t`).
  it('never misses a reference whatever whitespace surrounds it: spaces, tabs, newlines, CRLF (property, real parser)', async () => {
    const ws = fc.array(fc.constantFrom(' ', '\t', '\n', '\r\n', '\t\t', '\n\t\t'), { minLength: 0, maxLength: 4 }).map((a) => a.join(''));
    const ident = fc.stringMatching(/^[a-z_][a-z0-9_]{0,8}$/);
    const root = fc.constantFrom('var', 'local');
    const shape = fc.constantFrom(
      (r: string, a: string, b: string) => `merge(${a}${r},${b}{ x = 1 })`,
      (r: string, a: string, b: string) => `[${a}${r},${b}"lit"]`,
      (r: string, a: string, b: string) => `{${a}k = ${r}${b}}`,
      (r: string, a: string, b: string) => `(true ?${a}${r}${b}: null)`,
      (r: string, a: string, b: string) => `(${a}${r}${b})`,
    );
    await fc.assert(
      fc.asyncProperty(root, ident, ws, ws, shape, async (rt, name, before, after, make) => {
        const hcl = `resource "terraform_data" "r" {\n\tinput = ${make(`${rt}.${name}`, before, after)}\n}\n`;
        const summary = await summarizeConfigFile('main.tf', hcl);
        expect(summary.blocks[0]?.refs).toContain(`${rt}.${name}`);
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it('a bare `${a.b.c}` interpolation (read without the parser) gives what the parser gives for `${ a.b.c }` (property)', async () => {
    const ident = fc.stringMatching(/^[a-z_][a-z0-9_-]{0,6}$/);
    const root = fc.constantFrom('var', 'local', 'module', 'data', 'path', 'terraform', 'each', 'aws_vpc', 'count');
    const literal = fc.constantFrom('', 'x-', '-y', ' $Latest ', '100%', '/');
    await fc.assert(
      fc.asyncProperty(root, fc.array(ident, { minLength: 1, maxLength: 3 }), literal, literal, async (r, rest, before, after) => {
        const path = [r, ...rest].join('.');
        const bare = `${before}\${${path}}${after}`;
        const spaced = `${before}\${ ${path} }${after}`;
        const facts = await analyzeTemplates('t.tf', [bare, spaced]);
        expect(facts.get(bare)).toEqual(facts.get(spaced));
      }),
      { numRuns: 80 },
    );
  }, 60_000);
});
