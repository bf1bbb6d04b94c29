// Typed errors of `synthWorkspace`: options that cannot make a workspace.
import { VelocityError } from '../errors.js';

/** The requested size or shape cannot be synthesised (too small, unknown shape, chain too long). */
export class SynthOptionsError extends VelocityError {
  constructor(message: string) {
    super('SYNTH_OPTIONS', message);
  }
}
