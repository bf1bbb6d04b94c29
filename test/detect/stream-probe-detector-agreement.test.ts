import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DetectContext } from '../../src/detect/change-detector.js';
import { probeDetector } from '../../src/detect/probe-detector.js';
import { streamProbeDetector } from '../../src/detect/stream-probe-detector.js';
import { appliedCustomersWorkspace, type AppliedWorkspace } from '../support/applied-workspace.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

describe.runIf(tfBinary)('streamProbeDetector agrees with the show -json probe (skipped only without tofu/terraform)', () => {
  let ws: AppliedWorkspace;
  let tmp: string;
  beforeAll(() => {
    ws = appliedCustomersWorkspace(tfBinary as string, { customers: 2, devices: 4 });
    tmp = mkdtempSync(join(tmpdir(), 'velocity-sprobe-'));
  });
  afterAll(() => {
    ws?.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  });
  const ctx = (planArgs: string[]): DetectContext => ({
    binary: tfBinary as string, globalArgs: [], planArgs, targets: [], changed: [], cwd: ws.dir, env: tfEnv(), tmpDir: tmp,
  });

  it('finds the same changed set, creates included', async () => {
    const main = join(ws.dir, 'main.tf');
    const before = readFileSync(main, 'utf8');
    try {
      appendFileSync(main, '\nresource "terraform_data" "extra" {\n  input = "new"\n}\n');
      const args = [ws.changeDeviceVar(1, 2), '-no-color'];
      const a = await probeDetector.detect(ctx(args));
      const b = await streamProbeDetector.detect(ctx(args));
      expect(b.changed).toEqual(a.changed);
      expect(b.creates).toEqual(['terraform_data.extra']);
      expect(b.changed).toEqual([ws.device(1, 2), 'terraform_data.extra']);
    } finally {
      writeFileSync(main, before);
    }
  });

  it('falls back to full for a moved block and for a failing plan', async () => {
    const main = join(ws.dir, 'main.tf');
    const before = readFileSync(main, 'utf8');
    try {
      writeFileSync(main, before.replace('resource "terraform_data" "report"', 'resource "terraform_data" "summary"'));
      appendFileSync(main, '\nmoved {\n  from = terraform_data.report\n  to   = terraform_data.summary\n}\n');
      expect((await streamProbeDetector.detect(ctx([]))).fallback?.reason).toMatch(/moved from terraform_data\.report/);
      appendFileSync(main, '\nresource "terraform_data" "broken" {\n');
      expect((await streamProbeDetector.detect(ctx([]))).fallback?.reason).toMatch(/probe plan failed/);
    } finally {
      writeFileSync(main, before);
    }
  });
});
