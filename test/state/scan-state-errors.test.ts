// Malformed input gets parseState's error code from the streaming scanner too: every prefix of a state
// (truncation anywhere), whitespace-only and BOM/NBSP-led files, binary data, trailing garbage, v3 and
// future versions, encrypted states, documents that are JSON but not a state, and states Terraform refuses.
import { describe, expect, it } from 'vitest';
import { parseState } from '../../src/state/parse-state.js';
import { scanState } from '../../src/state/scan-state.js';
import { REFUSED_STATES } from '../support/refused-states.js';
import { chunked, outcome } from '../support/state-fixtures.js';

const SMALL = JSON.stringify(
  {
    version: 4,
    terraform_version: '1.11.4',
    serial: 3,
    lineage: 'l',
    outputs: { o: { value: 'x"}', type: 'string' } },
    resources: [
      {
        module: 'module.m["k\\"]"]',
        mode: 'managed',
        type: 'terraform_data',
        name: 'a',
        provider: 'provider["terraform.io/builtin/terraform"]',
        instances: [{ index_key: 'é😀', status: 'tainted', attributes: { id: '\\u0000', n: -1.5e-3 }, dependencies: ['terraform_data.b'] }],
      },
    ],
  },
  null,
  1,
);

async function expectSameCode(text: string | Uint8Array, sizes: readonly number[] = [5]): Promise<string> {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  const expected = await outcome(() => parseState(bytes, 's'));
  for (const kernel of ['js', 'wasm'] as const) {
    expect(await outcome(() => scanState(chunked(bytes, sizes), { kernel })), `${kernel}: ${JSON.stringify(Buffer.from(bytes).toString('utf8').slice(0, 80))}`).toEqual(expected);
  }
  return 'code' in expected ? expected.code : 'ok';
}

describe('scanState error codes match parseState', () => {
  it('for every prefix of a state (a file cut short anywhere)', async () => {
    const bytes = Buffer.from(SMALL, 'utf8');
    const codes = new Set<string>();
    for (let cut = 0; cut <= bytes.length; cut++) codes.add(await expectSameCode(bytes.subarray(0, cut), [3]));
    // The prefixes really exercise the classification: empty, truncated, and the complete state.
    expect([...codes].sort()).toEqual(['STATE_EMPTY', 'STATE_TRUNCATED', 'ok']);
  });

  it.each([
    ['empty', ''],
    ['JSON whitespace only', ' \n\t\r '],
    ['JavaScript-only whitespace', '\u00a0\u2028\ufeff \u000b'],
    ['BOM before a state', `\ufeff${SMALL}`],
    ['NBSP before an unclosed object', '\u00a0{"version": 4'],
    ['trailing garbage', `${SMALL} x`],
    ['trailing open brace', `${SMALL} {`],
    ['second document', `${SMALL}${SMALL}`],
    ['top-level array', '[1, 2]'],
    ['top-level string', '"state"'],
    ['top-level number at end of input', '  4'],
    ['lone minus', '-'],
    ['bad escape', '{"version": 4, "lineage": "\\x"}'],
    ['control character in string', '{"version": 4, "lineage": "a\u0001"}'],
    ['syntax error inside attributes, then unbalanced', '{"version": 4, "resources": [{"instances": [{"attributes": {"a": tru}}]}'],
    ['syntax error inside attributes', '{"version": 4, "resources": [{"mode":"managed","type":"t","name":"n","instances": [{"attributes": {"a": 01}}]}]}'],
    ['trailing comma', '{"version": 4, "resources": [],}'],
    ['v3 state', '{"version": 3, "modules": []}'],
    ['future state', '{"version": 5}'],
    ['version as string', '{"version": "4"}'],
    ['version as object', '{"version": {"major": 4}}'],
    ['encrypted state', '{"encrypted_data": "AAAA", "encryption_version": "v0", "version": 4}'],
    ['resources not an array', '{"version": 4, "resources": {"a": 1}}'],
    ['resources before a bad version', '{"resources": [1], "version": 3}'],
    ['resource not an object', '{"version": 4, "resources": [1]}'],
    ['resource without type', '{"version": 4, "resources": [{"mode": "managed", "name": "n", "instances": []}]}'],
    ['instance not an object', '{"version": 4, "resources": [{"mode": "managed", "type": "t", "name": "n", "instances": [[]]}]}'],
    ['escaped key names', '{"versio\\u006e": 4, "resource\\u0073": [{"mod\\u0065": "data", "mode": "data", "type": "t", "name": "n", "instanc\\u0065s": [{"index_ke\\u0079": 2}]}]}'],
    ['duplicate keys keep the last', '{"version": 3, "version": 4, "resources": [1], "resources": [{"mode": "managed", "type": "t", "name": "n", "instances": [{"index_key": 1}], "instances": []}]}'],
    ['a non-array instances after an array one', '{"version": 4, "resources": [{"mode": "managed", "type": "t", "name": "n", "instances": [{"index_key": 1}], "instances": "x"}]}'],
    ['dependencies holding null, then a string list', '{"version": 4, "resources": [{"mode": "managed", "type": "t", "name": "n", "instances": [{"dependencies": [null], "dependencies": ["t.m"]}]}]}'],
    // States Terraform refuses (an instance twice, invalid index keys, wrong field types).
    ...REFUSED_STATES.map((s) => [`refused: ${s.name}`, s.text] as [string, string]),
  ])('for %s', async (_name, text) => {
    await expectSameCode(text, [1]);
    await expectSameCode(text, [64]);
  });

  it('for binary data: gzip, zip, NUL bytes', async () => {
    expect(await expectSameCode(Buffer.from([0x1f, 0x8b, 8, 0, 0, 0]))).toBe('STATE_BINARY');
    expect(await expectSameCode(Buffer.from([0x50, 0x4b, 3, 4, 20, 0]))).toBe('STATE_BINARY');
    expect(await expectSameCode(Buffer.from(`{"version": 4, "lineage": "a\u0000b"}`, 'utf8'))).toBe('STATE_BINARY');
    // A NUL after the first 4096 bytes is not "binary" for parseState: it is invalid JSON.
    const late = Buffer.from(`{"version": 4, "lineage": "${'a'.repeat(5000)}\u0000"}`, 'utf8');
    expect(await expectSameCode(late, [100])).toBe('STATE_NOT_JSON');
  });
});
