// Addresses exactly as Terraform prints them: quoting of string keys, data sources, every -target form.
import { describe, expect, it } from 'vitest';
import { formatResourceAddress, parseResourceAddress, parseTarget, quoteKey } from '../../src/state/address.js';
import { AddressParseError } from '../../src/errors.js';

describe('Terraform address forms', () => {
  it.each([
    'aws_instance.web',
    'aws_instance.web[0]',
    'data.aws_ami.ubuntu',
    'module.net["eu"].aws_subnet.a[0]',
    'module.customer["c1"].terraform_data.device["d07"]',
    'module.a[3].module.b["x"].data.t.n["k"]',
    'module.m["a\\"b"].t.n["back\\\\slash"]',
    'module.m["line\\nbreak"].t.n["tab\\there"]',
    'module.m["$${literal}"].t.n["%%{tpl}"]',
    'module.m["日本"].t.n["🚀"]',
    'module.m["\\u0000"].t.n["\\u200b"]',
  ])('%s round-trips', (text) => {
    expect(formatResourceAddress(parseResourceAddress(text))).toBe(text);
  });

  it('quotes keys like Terraform: escapes, template introducers, non-printables', () => {
    expect(quoteKey('a"b\\c')).toBe('"a\\"b\\\\c"');
    expect(quoteKey('${x} %{y} $z')).toBe('"$${x} %%{y} $z"');
    expect(quoteKey('\u0007')).toBe('"\\u0007"');
    expect(quoteKey('\u{1F680}')).toBe('"🚀"');
    expect(quoteKey('')).toBe('""');
  });

  it('parses every -target form', () => {
    expect(parseTarget('module.c')).toEqual({ kind: 'module', module: [{ name: 'c' }] });
    expect(parseTarget('module.c["x"]')).toEqual({ kind: 'module', module: [{ name: 'c', key: 'x' }] });
    expect(parseTarget('module.c["x"].terraform_data.tunnel')).toEqual({
      kind: 'resource',
      resource: { module: [{ name: 'c', key: 'x' }], mode: 'managed', type: 'terraform_data', name: 'tunnel' },
    });
    expect(parseTarget('module.c["x"].terraform_data.tunnel[1]')).toMatchObject({ kind: 'resource', resource: { key: 1 } });
    expect(parseTarget('data.a.b')).toMatchObject({ kind: 'resource', resource: { mode: 'data', type: 'a', name: 'b' } });
  });

  it.each(['', 'aws_instance', 'aws_instance.', 'module.', 'module.a.', 'a.b[', 'a.b["x]', 'a.b[01]', 'a.b[-1]', 'a.b.c', 'var.x', 'local.y', 'a.b["\\q"]', 'module.a[x].b.c'])(
    'rejects %j with ADDRESS_INVALID',
    (text) => {
      const attempt = () => parseTarget(text);
      expect(attempt).toThrow(AddressParseError);
      try {
        attempt();
      } catch (error) {
        expect((error as AddressParseError).code).toBe('ADDRESS_INVALID');
      }
    },
  );
});
