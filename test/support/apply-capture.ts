// Runs velocityApply with an output sink that records both streams (stdin ignored unless given), so tests can read
// what a user would see.

import { velocityApply, type ApplyResult, type VelocityApplyOptions } from '../../src/apply/velocity-apply.js';
import { captureOutput, type Captured } from './plan-capture.js';

export type CapturedApply = Captured<ApplyResult>;

export function captureApply(options: VelocityApplyOptions): Promise<CapturedApply> {
  return captureOutput((output) => velocityApply({ stdin: 'ignore', ...options, output }));
}
