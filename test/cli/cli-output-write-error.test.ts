// A stdout that fails for another reason than a closed pipe (a full disk: /dev/full gives ENOSPC) is an error, not a
// quiet stop: one `error[OUTPUT_WRITE]` line on stderr, exit 1, never an unhandled 'error' event.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fixturePath, EKS_FIXTURE } from '../support/fixtures.js';
import { assertFreshBuild, velocityBin } from '../support/built-package.js';

describe.runIf(existsSync('/dev/full'))('velocity writing to a full disk', () => {
  it('exits 1 with error[OUTPUT_WRITE]', () => {
    assertFreshBuild();
    const full = openSync('/dev/full', 'w');
    try {
      const r = spawnSync(process.execPath, [velocityBin, 'graph', '--state', fixturePath(EKS_FIXTURE)], { stdio: ['ignore', full, 'pipe'], encoding: 'utf8', timeout: 60_000, env: { ...process.env, VELOCITY_CACHE: '0' } });
      expect(r.status).toBe(1);
      expect(r.stderr).toContain('error[OUTPUT_WRITE]');
      expect(r.stderr).not.toMatch(/Unhandled|^\s+at /m);
    } finally {
      closeSync(full);
    }
  });
});
