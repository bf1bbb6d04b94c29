// templateRefs finds each reference's head from HCL's syntax tree, with exact character ranges (unicode before it
// included), how it is used (constant key, computed key, whole), and rewriteTemplate replaces exactly those heads.
import { describe, expect, it } from 'vitest';
import { isTemplate, rewriteTemplate, templateRefs } from '../../src/inject/template-refs.js';

describe('templateRefs', () => {
  it('reports heads, uses and ranges', async () => {
    const t = 'é ${data.a.b["k"].c} ${aws_x.y[each.key].id} ${aws_x.z[*].id} ${module.m[0].out} ${var.v}-${local.l} ${path.module}';
    const [info] = await templateRefs('main.tf', [t]);
    const refs = info?.refs ?? [];
    expect(refs.map((r) => [r.kind, r.name, r.use.kind, t.slice(r.start, r.end)])).toEqual([
      ['data', 'data.a.b', 'const', 'data.a.b'],
      ['resource', 'aws_x.y', 'dynamic', 'aws_x.y'],
      ['resource', 'aws_x.z', 'whole', 'aws_x.z'],
      ['module', 'm', 'const', 'module.m'],
      ['var', 'v', 'whole', 'var.v'],
      ['local', 'l', 'whole', 'local.l'],
      ['path', 'module', 'whole', 'path.module'],
    ]);
    expect(refs[3]?.output).toBe('out');
    expect(refs[0]?.use).toEqual({ kind: 'const', key: 'k' });
    expect(rewriteTemplate(t, refs, (r) => (r.kind === 'resource' ? 'local.s' : undefined))).toBe(
      'é ${data.a.b["k"].c} ${local.s[each.key].id} ${local.s[*].id} ${module.m[0].out} ${var.v}-${local.l} ${path.module}',
    );
  });

  it('tells one interpolation from a template, and a literal from both', async () => {
    const infos = await templateRefs('main.tf', ['${var.m}', '${var.a} ${var.b}', '${a}b}', 'plain $${x}', '${ { a = 1 } }']);
    expect(infos.map((i) => i?.inner)).toEqual(['var.m', undefined, undefined, undefined, ' { a = 1 } ']);
    expect(isTemplate('plain $${x}')).toBe(false);
    expect(isTemplate('%{ if x }y%{ endif }')).toBe(true);
  });

  it('returns null for a template the parser refuses', async () => {
    expect(await templateRefs('main.tf', ['${{x = 1}'])).toEqual([null]);
  });
});
