// The typed errors of cross-state dependencies: a rejected edge names the cycle it would close, a duplicate names
// the edge it collides with, and an unreadable graph file says why. Codes are stable (DEPS_*).

import { VelocityError } from '../errors.js';

/** Adding the edge would close a cycle of states; `cycle` runs producer → … → producer. */
export class DepsCycleError extends VelocityError {
  readonly cycle: readonly string[];
  constructor(cycle: readonly string[]) {
    super('DEPS_CYCLE', `the edge would close a cycle of states: ${cycle.join(' -> ')}`);
    this.cycle = cycle;
  }
}

/** An edge with the same (producer, output, consumer), or the same (consumer, input name), exists. */
export class DepsEdgeExistsError extends VelocityError {
  constructor(message: string) {
    super('DEPS_EDGE_EXISTS', message);
  }
}

/** No edge matches what `deps rm` (or a lookup) named. */
export class DepsEdgeNotFoundError extends VelocityError {
  constructor(message: string) {
    super('DEPS_EDGE_NOT_FOUND', message);
  }
}

/** A name that is not a state of the graph, an output or input name that is not usable. */
export class DepsInputError extends VelocityError {
  constructor(message: string) {
    super('DEPS_INPUT', message);
  }
}

/** The dependency graph file cannot be read: not JSON, another format, or unreadable. */
export class DepsFileError extends VelocityError {
  constructor(path: string, why: string, options?: { cause?: unknown }) {
    super('DEPS_FILE_INVALID', `${path}: ${why}`, options);
  }
}
