// Runs velocityApply with an output sink that records both streams, so tests can read what a user would see.

import { velocityApply, type ApplyResult, type VelocityApplyOptions } from '../../src/apply/velocity-apply.js';

export interface CapturedApply {
  readonly result: ApplyResult;
  readonly stdout: string;
  readonly stderr: string;
}

export async function captureApply(options: VelocityApplyOptions): Promise<CapturedApply> {
  let stdout = '';
  let stderr = '';
  const result = await velocityApply({
    stdin: 'ignore',
    ...options,
    output: (stream, text) => {
      if (stream === 'stdout') stdout += text;
      else stderr += text;
    },
  });
  return { result, stdout, stderr };
}
