// Runs velocityPlan with an output sink that records both streams, so tests can read what a user would see.

import { velocityPlan, type VelocityPlanOptions, type VelocityPlanResult } from '../../src/plan/velocity-plan.js';

export interface CapturedPlan {
  readonly result: VelocityPlanResult;
  readonly stdout: string;
  readonly stderr: string;
}

export async function capturePlan(options: VelocityPlanOptions): Promise<CapturedPlan> {
  let stdout = '';
  let stderr = '';
  const result = await velocityPlan({
    ...options,
    output: (stream, text) => {
      if (stream === 'stdout') stdout += text;
      else stderr += text;
    },
  });
  return { result, stdout, stderr };
}
