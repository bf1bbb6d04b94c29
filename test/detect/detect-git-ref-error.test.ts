// Issue 16 item 15: `--changed-since` with a ref git does not know fails with GIT_REF saying what git said
// (its stderr), not the bare exit code (`cannot compare with git ref "nosuchref": 1`).

import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { ConfigChangeDetector } from '../../src/detect/config-change-detector.js';
import { GitRefError } from '../../src/detect/detect-errors.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';
import { smallState } from '../support/small-state.js';

let ws: TempWorkspace | undefined;
afterEach(() => ws?.cleanup());

describe('GIT_REF', () => {
  it('carries git\'s own stderr for an unknown ref', async () => {
    ws = tempWorkspace({ 'main.tf': 'resource "terraform_data" "a" {\n  input = 1\n}\n' });
    execFileSync('git', ['init', '-q'], { cwd: ws.dir });
    execFileSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', 'commit', '-q', '--allow-empty', '-m', 'x'], { cwd: ws.dir });
    const error = await new ConfigChangeDetector()
      .detect({ workingDir: ws.dir, state: smallState(['terraform_data.a']), env: {}, changedSince: 'nosuchref', cachePath: false })
      .then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(GitRefError);
    expect(error).toMatchObject({ code: 'GIT_REF', ref: 'nosuchref' });
    // What git itself prints for this ref, first line.
    const own = spawnSync('git', ['rev-parse', '--verify', '--end-of-options', 'nosuchref^{commit}'], { cwd: ws.dir, encoding: 'utf8' }).stderr.trim().split('\n')[0] as string;
    expect(own).not.toBe('');
    const said = (error as GitRefError).gitSaid;
    expect(said).toContain(own);
    expect((error as GitRefError).message).toContain(said);
  });

  it('outside a repository, too', async () => {
    ws = tempWorkspace({ 'main.tf': 'resource "terraform_data" "a" {\n  input = 1\n}\n' });
    const error = await new ConfigChangeDetector()
      .detect({ workingDir: ws.dir, state: smallState(['terraform_data.a']), env: {}, changedSince: 'HEAD', cachePath: false })
      .then(() => undefined, (e: unknown) => e);
    expect(error).toMatchObject({ code: 'GIT_REF' });
    expect((error as GitRefError).gitSaid).not.toBe('');
  });
});
