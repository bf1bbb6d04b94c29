// Which binaries accept `plan -minimal-refresh`: Terraform from 1.17.0 on, never OpenTofu, and a pre-release only
// when it comes after 1.17.0 in semver order.
import { describe, expect, it } from 'vitest';
import { parseBinaryVersion } from '../../src/tf/binary-version.js';

const supports = (line: string): boolean => parseBinaryVersion(`${line}\non linux_amd64\n`).supportsMinimalRefresh;

describe('parseBinaryVersion: supportsMinimalRefresh', () => {
  it('is true for Terraform 1.17.0 and every later release', () => {
    for (const v of ['1.17.0', '1.17.3', '1.18.0', '1.20.11', '2.0.0']) expect(supports(`Terraform v${v}`), v).toBe(true);
  });

  it('is false for Terraform before 1.17', () => {
    for (const v of ['1.11.4', '1.16.9', '0.17.0', '1.9.20']) expect(supports(`Terraform v${v}`), v).toBe(false);
  });

  it('is false for a pre-release of 1.17.0 itself, true for a pre-release of a later version', () => {
    for (const v of ['1.17.0-alpha20260101', '1.17.0-beta1', '1.17.0-rc2', '1.17.0-dev', '1.17.0-']) expect(supports(`Terraform v${v}`), v).toBe(false);
    for (const v of ['1.17.1-rc1', '1.18.0-beta1', '2.0.0-alpha1']) expect(supports(`Terraform v${v}`), v).toBe(true);
  });

  it('reads the pre-release part, and build metadata is not one', () => {
    expect(parseBinaryVersion('Terraform v1.17.0-beta1\n')).toMatchObject({ version: '1.17.0-beta1', prerelease: 'beta1' });
    expect(parseBinaryVersion('Terraform v1.17.0\n').prerelease).toBeUndefined();
    expect(parseBinaryVersion('Terraform v1.17.0+ent\n')).toMatchObject({ prerelease: undefined, supportsMinimalRefresh: true });
    expect(parseBinaryVersion('Terraform v1.17.0-rc1+ent\n')).toMatchObject({ prerelease: 'rc1', supportsMinimalRefresh: false });
  });

  it('is never true for OpenTofu (which keeps -target-file instead)', () => {
    for (const v of ['1.10.0', '1.17.0', '1.18.2', '2.0.0']) {
      expect(parseBinaryVersion(`OpenTofu v${v}\n`)).toMatchObject({ supportsMinimalRefresh: false, supportsTargetFile: true });
    }
  });
});
