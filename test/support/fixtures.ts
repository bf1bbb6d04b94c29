// Real state files from ../shared/fixtures (read in place, never copied) and the graph of one, for export tests.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { StateGraph } from '../../src/graph/state-graph.js';
import { parseState } from '../../src/state/parse-state.js';
import { realStatesDir } from './paths.js';


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
