// Runs velocityPlan (or any run taking velocity's output sink) with a sink that records both streams, so tests can
// read what a user would see.

import type { OutputStream } from '../../src/tf/run-binary.js';
import { velocityPlan, type VelocityPlanOptions, type VelocityPlanResult } from '../../src/plan/velocity-plan.js';

export interface Captured<R> {
  readonly result: R;
  readonly stdout: string;
  readonly stderr: string;
}

export type CapturedPlan = Captured<VelocityPlanResult>;

/** Calls `run` with an output sink and returns its result with what it wrote to each stream. */
export async function captureOutput<R>(run: (output: (stream: OutputStream, text: string) => void) => Promise<R>): Promise<Captured<R>> {
  let stdout = '';
  let stderr = '';
  const result = await run((stream, text) => {
    if (stream === 'stdout') stdout += text;
    else stderr += text;
  });
  return { result, stdout, stderr };
}

export function capturePlan(options: VelocityPlanOptions): Promise<CapturedPlan> {
  return captureOutput((output) => velocityPlan({ ...options, output }));
}
