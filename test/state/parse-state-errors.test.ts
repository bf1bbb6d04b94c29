// Each way bytes can fail to be a v4 state gives its own typed error code, never a TypeError.
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { StateGraph } from '../../src/graph/state-graph.js';
import { parseState } from '../../src/state/parse-state.js';
import { REFUSED_STATES } from '../support/refused-states.js';
import { stateJson } from '../support/state-builder.js';

function codeOf(input: string | Uint8Array): string {
  try {
    parseState(input, 'test');
  } catch (error) {
    return (error as { code: string }).code;
  }
  return 'LOADED';
}

const valid = stateJson([{ name: 'a' }, { name: 'b', dependencies: ['terraform_data.a'] }]);

describe('parseState errors', () => {
  it('loads a valid state and keeps its meta', () => {
    const s = parseState(valid);
    expect(s.meta).toMatchObject({ version: 4, serial: 1, terraformVersion: '1.11.4', lineage: '00000000-0000-0000-0000-000000000000' });
    expect(s.instances).toHaveLength(2);
  });
  it('empty or whitespace → STATE_EMPTY', () => {
    expect(codeOf('')).toBe('STATE_EMPTY');
    expect(codeOf(' \n\t')).toBe('STATE_EMPTY');
  });
  it('every prefix of a valid state → STATE_TRUNCATED', () => {
    for (let i = 1; i < valid.trimEnd().length; i += 7) expect(codeOf(valid.slice(0, i))).toBe('STATE_TRUNCATED');
  });
  it('garbage → STATE_NOT_JSON', () => {
    expect(codeOf('invalid\n')).toBe('STATE_NOT_JSON');
    expect(codeOf('{"version": 4, oops}')).toBe('STATE_NOT_JSON');
  });
  it('gzip, NUL bytes → STATE_BINARY', () => {
    expect(codeOf(gzipSync(Buffer.from(valid)))).toBe('STATE_BINARY');
    expect(codeOf(Uint8Array.from([0x7b, 0x00, 0x7d]))).toBe('STATE_BINARY');
  });
  it('OpenTofu encryption envelope and git-crypt → STATE_ENCRYPTED', () => {
    expect(codeOf(JSON.stringify({ serial: 1, lineage: 'x', meta: {}, encrypted_data: 'AAAA', encryption_version: 'v0' }))).toBe('STATE_ENCRYPTED');
    expect(codeOf(Buffer.concat([Buffer.from('\0GITCRYPT\0'), Buffer.from([1, 2, 3])]))).toBe('STATE_ENCRYPTED');
  });
  it('JSON that is not a state → STATE_NOT_A_STATE', () => {
    expect(codeOf('[]')).toBe('STATE_NOT_A_STATE');
    expect(codeOf('{"hello": "world"}')).toBe('STATE_NOT_A_STATE');
    expect(codeOf('{"version": 4, "resources": {}}')).toBe('STATE_NOT_A_STATE');
    expect(codeOf('{"version": 4, "resources": [{"mode": "managed"}]}')).toBe('STATE_NOT_A_STATE');
    expect(codeOf('{"format_version": "1.2", "planned_values": {}}')).toBe('STATE_NOT_A_STATE');
  });
  it('v3 and older → STATE_VERSION_TOO_OLD with upgrade advice; v5 → STATE_VERSION_FUTURE', () => {
    expect(codeOf('{"version": 3, "modules": []}')).toBe('STATE_VERSION_TOO_OLD');
    expect(codeOf('{"version": 1}')).toBe('STATE_VERSION_TOO_OLD');
    expect(codeOf('{"version": 5, "resources": []}')).toBe('STATE_VERSION_FUTURE');
  });
  it('states Terraform refuses → their code, the message naming the first offending address', () => {
    for (const s of REFUSED_STATES) {
      // Duplicates across resources[] entries are seen where addresses are built (the index); the rest at parse.
      const error = (() => {
        try {
          StateGraph.fromState(parseState(s.text, 'test'));
        } catch (e) {
          return e as { code: string; message: string };
        }
        return { code: 'LOADED', message: '' };
      })();
      expect(error.code, s.name).toBe(s.code);
      expect(error.message, s.name).toContain(s.address);
    }
  });
  it('folds deposed objects into their instance and reads tainted status', () => {
    const s = parseState(stateJson([{ name: 'a', keys: [0, 1], deposed: 2, tainted: true }]));
    expect(s.instances).toHaveLength(2);
    expect(s.instances[0]).toMatchObject({ indexKey: 0, deposedCount: 2, tainted: true, hasCurrent: true });
  });
});
