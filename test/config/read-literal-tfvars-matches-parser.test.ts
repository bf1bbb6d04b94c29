// readLiteralTfvars against the real HCL parser: for any literal-only variable file (random values, keys, spacing,
// comments, commas, escapes) it returns exactly what parseHcl returns; outside the literal subset it gives up.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseHcl } from '../../src/config/hcl-parser.js';
import { readLiteralTfvars } from '../../src/config/read-literal-tfvars.js';

type V = string | number | boolean | null | V[] | { [k: string]: V };

const ident = fc.stringMatching(/^[a-z_][a-z0-9_-]{0,8}$/).filter((k) => !['true', 'false', 'null', 'for', 'in', 'if'].includes(k));
const text = fc.string({ unit: fc.oneof(fc.constantFrom('\\', '"', '\n', '\t', '\r', '$', '%', '{', '\u00e9', 'e\u0301', '\u{1F600}', '\u0001'), fc.string({ minLength: 1, maxLength: 1 })), maxLength: 12 });
const value: fc.Arbitrary<V> = fc.letrec<{ v: V }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.integer({ min: -1e6, max: 1e9 }),
    fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }).map((d) => Number(d.toPrecision(10))),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(ident, text), tie('v'), { maxKeys: 4 }),
  ),
})).v;

const ws = fc.constantFrom('', ' ', '  ', '\t', ' # c\n', ' /* b */ ', ' // c\n', '\n');
const inline = fc.constantFrom('', ' ', '\t', ' /* b */ ');

/** HCL text of a string: escapes chosen at random among the equivalent spellings. */
function quote(s: string, pick: () => number): string {
  let out = '"';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === '"') out += '\\"';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += pick() % 2 ? '\\t' : '\t';
    else if ((ch.codePointAt(0) ?? 0) < 0x20) out += `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
    else if (pick() % 5 === 0 && (ch.codePointAt(0) ?? 0) <= 0xffff) out += `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

function render(v: V, pick: () => number, pad: () => string): string {
  if (typeof v === 'string') return quote(v, pick);
  if (typeof v === 'number' || typeof v === 'boolean' || v === null) return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => `${pad()}${render(x, pick, pad)}${pad()}`).join(',')}${v.length > 0 && pick() % 2 ? ',' : ''}]`;
  const entries = Object.entries(v);
  const items = entries.map(([k, x]) => {
    const key = /^[a-z_][a-z0-9_-]*$/.test(k) && !['true', 'false', 'null', 'for', 'in', 'if'].includes(k) && pick() % 2 ? k : quote(k, pick);
    return `${key} ${pick() % 3 === 0 ? ':' : '='} ${render(x, pick, pad)}`;
  });
  return `{${items.map((it) => `\n  ${it}${pick() % 2 ? ',' : ''}`).join('')}\n}`;
}

const file = fc.tuple(fc.uniqueArray(fc.tuple(ident, value), { selector: ([k]) => k, maxLength: 5 }), fc.array(fc.nat(), { minLength: 64, maxLength: 64 }), fc.array(ws, { minLength: 8, maxLength: 8 }), fc.array(inline, { minLength: 8, maxLength: 8 }));

describe('readLiteralTfvars', () => {
  it('returns what the HCL parser returns for literal-only files (property)', async () => {
    let read = 0;
    await fc.assert(
      fc.asyncProperty(file, async ([attrs, picks, gaps, pads]) => {
        let n = 0;
        const pick = (): number => picks[n++ % picks.length] as number;
        const pad = (): string => pads[n++ % pads.length] as string;
        const body = attrs.map(([k, v]) => `${gaps[n++ % gaps.length]}${k} = ${render(v, pick, pad)}${pick() % 3 === 0 ? ' # end' : ''}\n`).join('');
        const fast = readLiteralTfvars(body);
        const parsed = await parseHcl('p.tfvars', body).catch(() => 'refused');
        if (fast === undefined) return;
        read++;
        expect(fast).toEqual(parsed);
      }),
      { numRuns: 150 },
    );
    // Templates, composed characters and the like make it give up now and then, but not mostly.
    expect(read).toBeGreaterThan(75);
  }, 120_000);

  it('reads a typical variable file', () => {
    expect(readLiteralTfvars('# c\nregion = "eu-west-1" // x\ncount = 3\ntags = { env = "prod", "a b": true }\nzones = ["a", "b",]\n')).toEqual({ region: 'eu-west-1', count: 3, tags: { env: 'prod', 'a b': true }, zones: ['a', 'b'] });
  });

  it('gives up outside the literal subset', () => {
    for (const t of ['a = "${x}"\n', 'a = "$${x}"\n', 'a = "%{if x}y%{endif}"\n', 'a = var.x\n', 'a = max(1, 2)\n', 'a = <<EOT\nx\nEOT\n', 'a = 1\na = 2\n', 'a = 12345678901234567890\n', 'a = -0\n', 'a = 1 b = 2\n', 'a { }\n', 'a = "x"y\n', 'a = "e\u0301"\n', 'a = "$\\u007b"\n', 'a = { (k) = 1 }\n'])
      expect(readLiteralTfvars(t), t).toBeUndefined();
  });
});
