import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { extractReferences, mayCallFileFunction } from '../../src/config/extract-references.js';

describe('extractReferences', () => {
  it('finds variables, locals, module outputs, data sources and terraform.workspace in JSON-syntax expressions', () => {
    const text = '{"a":"${var.region}-${local.name}","b":"${module.net.subnet_ids[0]}","c":"${module.db[\\"x\\"].endpoint}","d":"${data.aws_ami.ubuntu.id}","e":"${terraform.workspace}","f":"${path.module}/x"}';
    expect(extractReferences(text)).toEqual([
      'data.aws_ami.ubuntu',
      'local.name',
      'module.db.endpoint',
      'module.net.subnet_ids',
      'path.module',
      'terraform.workspace',
      'var.region',
    ]);
  });

  it('names the whole module when the output cannot be read statically', () => {
    expect(extractReferences('${module.m[var.keys[0]].out}')).toEqual(['module.m', 'var.keys']);
    expect(extractReferences('${module.m}')).toEqual(['module.m']);
  });

  it('does not take identifiers that merely end in a root name', () => {
    expect(extractReferences('${myvar.x} ${nolocal.y} ${xmodule.z.w}')).toEqual([]);
  });

  it('never misses a var or local reference embedded anywhere in an expression (property)', () => {
    const ident = fc.stringMatching(/^[a-z_][a-z0-9_-]{0,12}$/);
    const filler = fc.constantFrom(' + ', ', ', '(', ')', '[', '] ', ' ? ', ' : ', '"', '${', '}', ' ');
    fc.assert(
      fc.property(fc.constantFrom('var', 'local'), ident, filler, filler, (root, name, before, after) => {
        const text = `${before}${root}.${name}${after}`;
        expect(extractReferences(text)).toContain(`${root}.${name}`);
      }),
      { numRuns: 300 },
    );
  });

  it('prefilters calls of file-reading functions', () => {
    expect(mayCallFileFunction('${file("a.txt")}')).toBe(true);
    expect(mayCallFileFunction('${templatefile ("t.tpl", {})}')).toBe(true);
    expect(mayCallFileFunction('${myfile("a")} ${provider::x::file("a")}')).toBe(false);
  });
});
