import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DetectContext } from '../../src/detect/change-detector.js';
import { probeDetector } from '../../src/detect/probe-detector.js';
import { appliedCustomersWorkspace, type AppliedWorkspace } from '../support/applied-workspace.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

describe.runIf(tfBinary)('probeDetector with the real binary (skipped only when neither tofu nor terraform is installed)', () => {
  let ws: AppliedWorkspace;
  let tmp: string;
  beforeAll(() => {
    ws = appliedCustomersWorkspace(tfBinary as string, { customers: 3 });
    tmp = mkdtempSync(join(tmpdir(), 'velocity-probe-'));
  });
  afterAll(() => {
    ws?.cleanup();
    rmSync(tmp, { recursive: true, force: true });
  });
  const ctx = (planArgs: string[] = []): DetectContext => ({
    binary: tfBinary as string, globalArgs: [], planArgs, targets: [], changed: [], cwd: ws.dir, env: tfEnv(), tmpDir: tmp,
  });

  it('finds exactly the changed device, and nothing when nothing changed', async () => {
    const changed = await probeDetector.detect(ctx([ws.changeDeviceVar(1, 2)]));
    expect(changed).toMatchObject({ source: 'probe', changed: [ws.device(1, 2)], creates: [] });
    expect(changed.fallback).toBeUndefined();
    expect(changed.tookMs).toBeGreaterThan(0);
    expect((await probeDetector.detect(ctx())).changed).toEqual([]);
  });

  it('falls back to full, saying why, for a moved block', async () => {
    const main = join(ws.dir, 'main.tf');
    const before = readFileSync(main, 'utf8');
    try {
      writeFileSync(main, before.replace('resource "terraform_data" "report"', 'resource "terraform_data" "summary"'));
      appendFileSync(main, '\nmoved {\n  from = terraform_data.report\n  to   = terraform_data.summary\n}\n');
      const r = await probeDetector.detect(ctx());
      expect(r.fallback).toEqual({ to: 'full', reason: expect.stringContaining('moved from terraform_data.report') });
    } finally {
      writeFileSync(main, before);
    }
  });

  it("returns the binary's failure unchanged for a broken workspace", async () => {
    const broken = join(ws.dir, 'broken.tf');
    writeFileSync(broken, 'resource "terraform_data" "x" {\n');
    try {
      const r = await probeDetector.detect(ctx());
      expect(r.failure?.exitCode).toBe(1);
      expect(r.failure?.stderr).toContain('Error');
    } finally {
      rmSync(broken);
    }
  });
});
