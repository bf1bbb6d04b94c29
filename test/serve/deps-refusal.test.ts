// A server's deps refusal becomes the local graph's error of the same code: DepsCycleError with its cycle,
// DepsEdgeExistsError, DepsEdgeNotFoundError, DepsInputError; any other refusal (or a cycle the server does not
// name) is left to the caller.
import { expect, it } from 'vitest';
import { DepsCycleError, DepsEdgeExistsError, DepsEdgeNotFoundError, DepsInputError } from '../../src/deps/deps-errors.js';
import { depsRefusal } from '../../src/serve/deps-refusal.js';

it('maps each DEPS_* code to its class, keeping the code and the message', () => {
  const cases: [string, new (...a: never[]) => Error][] = [
    ['DEPS_EDGE_EXISTS', DepsEdgeExistsError],
    ['DEPS_EDGE_NOT_FOUND', DepsEdgeNotFoundError],
    ['DEPS_INPUT', DepsInputError],
  ];
  for (const [code, cls] of cases) {
    const e = depsRefusal({ code, message: `the server says ${code}` });
    expect(e, code).toBeInstanceOf(cls);
    expect([e?.code, e?.message]).toEqual([code, `the server says ${code}`]);
  }
  const cycle = depsRefusal({ code: 'DEPS_CYCLE', message: 'm', cycle: ['team/edge', 'net', 'app', 'team/edge'] });
  expect(cycle).toBeInstanceOf(DepsCycleError);
  expect([cycle?.code, (cycle as DepsCycleError).cycle]).toEqual(['DEPS_CYCLE', ['team/edge', 'net', 'app', 'team/edge']]);
  expect(cycle?.message).toContain('team/edge -> net -> app -> team/edge');
});

it('leaves other refusals, and a cycle without its states, to the caller', () => {
  for (const body of [{ code: 'STATE_NOT_FOUND', message: 'x' }, { code: 'DEPS_CYCLE', message: 'x' }, { code: 'DEPS_CYCLE', cycle: [1, 2] }, null, 'text', {}]) {
    expect(depsRefusal(body), JSON.stringify(body)).toBeUndefined();
  }
});
