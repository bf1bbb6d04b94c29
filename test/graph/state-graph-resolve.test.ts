// StateGraph.resolve expands every -target form to instances; addresses matching nothing are ADDRESS_UNKNOWN.
import { describe, expect, it } from 'vitest';
import { StateGraph } from '../../src/graph/state-graph.js';
import { buildState } from '../support/state-builder.js';

const graph = StateGraph.fromState(
  buildState([
    { name: 'root' },
    { module: 'module.c["x"]', name: 'site' },
    { module: 'module.c["x"]', name: 'tunnel', keys: [0, 1] },
    { module: 'module.c["y"]', name: 'site' },
    { module: 'module.c["y"]', name: 'tunnel', keys: [0, 1] },
    { module: 'module.c["y"].module.n', name: 'deep' },
    { mode: 'data', type: 'ext', name: 'src' },
  ]),
);
const names = (targets: string[]) => graph.resolve(targets).map((id) => graph.index.address(id)).sort();

describe('resolve targets', () => {
  it('instance', () => expect(names(['module.c["x"].terraform_data.tunnel[1]'])).toEqual(['module.c["x"].terraform_data.tunnel[1]']));
  it('resource: every instance in that module instance', () =>
    expect(names(['module.c["x"].terraform_data.tunnel'])).toEqual(['module.c["x"].terraform_data.tunnel[0]', 'module.c["x"].terraform_data.tunnel[1]']));
  it('resource under a keyless module call: every module instance', () => expect(names(['module.c.terraform_data.site'])).toHaveLength(2));
  it('module instance: everything inside it, nested modules included', () => expect(names(['module.c["y"]'])).toHaveLength(4));
  it('module call: every instance', () => expect(names(['module.c'])).toHaveLength(7));
  it('data source', () => expect(names(['data.ext.src'])).toEqual(['data.ext.src']));
  it('de-duplicates overlapping targets', () => expect(names(['module.c["x"]', 'module.c["x"].terraform_data.site'])).toHaveLength(3));
  it('unknown addresses → ADDRESS_UNKNOWN naming each of them', () => {
    expect(() => graph.resolve(['terraform_data.nope', 'module.z', 'terraform_data.root'])).toThrow(
      expect.objectContaining({ code: 'ADDRESS_UNKNOWN', addresses: ['terraform_data.nope', 'module.z'] }),
    );
  });
  it('malformed addresses → ADDRESS_INVALID', () => {
    expect(() => graph.resolve(['not an address'])).toThrow(expect.objectContaining({ code: 'ADDRESS_INVALID' }));
  });
  it('node() reports metadata', () => {
    expect(graph.node('module.c["y"].module.n.terraform_data.deep')).toMatchObject({ module: 'module.c["y"].module.n', type: 'terraform_data', name: 'deep', indexKey: null, mode: 'managed' });
    expect(graph.node('module.c["x"].terraform_data.tunnel[1]')).toMatchObject({ module: 'module.c["x"]', indexKey: 1 });
  });
});
