// Real state files from ../shared/fixtures (read in place, never copied), the graph of one, and the one gate every
// test reading them goes through: present → the tests run; absent → they are skipped with the reason in their
// name (a clone elsewhere runs `npm test` green); absent while CI is set → a failing test (CI never silently skips).

import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it, type TestFunction } from 'vitest';
import { StateGraph } from '../../src/graph/state-graph.js';
import { parseState } from '../../src/state/parse-state.js';
import { realPlansDir, realStatesDir, sharedFixturesDir } from './paths.js';

/** aws-samples EKS example: 61 instances, modules `eks`, `eks.fargate` and `vpc`, counts, data sources. */
export const EKS_FIXTURE = 'aws-samples__web-hosting-architecture-examples-for-china-region-terraform__eks__terraform.tfstate.backup';

/** inframap repeated modules: counted module instances (`ec2_ubuntu_a[0]`), nested modules, missing dependencies. */
export const MODULES_FIXTURE = 'cycloidio__inframap__generate__testdata__repeated_modules.json';

export function fixturePath(name: string): string {
  return resolve(realStatesDir, name);
}

/** A fresh StateGraph of a real fixture (cycles allowed, as `velocity graph` loads them). */
export function fixtureGraph(name: string): StateGraph {
  return StateGraph.fromState(parseState(readFileSync(fixturePath(name)), name), { allowCycles: true });
}

/** fixtureGraph, or undefined for the fixtures that are refused on purpose (malformed, v3...: a typed error). */
export function loadableFixtureGraph(name: string): StateGraph | undefined {
  try {
    return fixtureGraph(name);
  } catch (error) {
    if (typeof (error as { code?: unknown }).code === 'string') return undefined;
    throw error;
  }
}

/** What the gate does: run the tests, skip them (fixtures absent), or fail (absent while CI is set). O(1). */
export function fixturesMode(present: boolean, env: NodeJS.ProcessEnv): 'run' | 'skip' | 'fail' {
  if (present) return 'run';
  const ci = env['CI'];
  return ci !== undefined && ci !== '' && ci !== '0' && ci.toLowerCase() !== 'false' ? 'fail' : 'skip';
}

const present = existsSync(realStatesDir) && existsSync(realPlansDir);
const mode = fixturesMode(present, process.env);
const ABSENT = `${sharedFixturesDir} is absent`;
const skipName = (name: string) => `${name} [skipped: ${ABSENT}]`;
function failInCi(): never {
  throw new Error(`${ABSENT}, and CI is set: CI must provide the shared fixtures rather than skip the tests that read them`);
}

/**
 * describe() for a suite that reads the shared fixtures. The body runs only when they are present, so it may read
 * them at collection time (it.each over a directory, a graph built once).
 */
export function describeWithFixtures(name: string, body: () => void): void {
  if (mode === 'run') describe(name, body);
  else if (mode === 'fail') describe(name, () => it('has the shared fixtures', failInCi));
  else describe(name, () => it.skip(skipName('reads the shared fixtures'), () => undefined));
}

/** it() for one test that reads the shared fixtures, inside a suite that does not. */
export function itWithFixtures(name: string, fn: TestFunction, timeout?: number): void {
  if (mode === 'run') it(name, fn, timeout);
  else if (mode === 'fail') it(name, failInCi);
  else it.skip(skipName(name), fn);
}
