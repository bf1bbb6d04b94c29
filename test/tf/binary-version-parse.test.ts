import { describe, expect, it } from 'vitest';
import { detectBinaryVersion, parseBinaryVersion } from '../../src/tf/binary-version.js';
import { tfBinary, tfEnv } from '../support/terraform-env.js';

describe('parseBinaryVersion', () => {
  it('reads OpenTofu and Terraform version lines and knows which accept -target-file', () => {
    expect(parseBinaryVersion('Terraform v1.11.4\non linux_amd64\n')).toMatchObject({ flavor: 'terraform', version: '1.11.4', supportsTargetFile: false });
    expect(parseBinaryVersion('OpenTofu v1.10.0\non linux_amd64\n')).toMatchObject({ flavor: 'tofu', minor: 10, supportsTargetFile: true });
    expect(parseBinaryVersion('OpenTofu v1.9.1\n')).toMatchObject({ flavor: 'tofu', supportsTargetFile: false });
    expect(parseBinaryVersion('OpenTofu v2.0.0-beta1\n')).toMatchObject({ version: '2.0.0-beta1', supportsTargetFile: true });
  });

  it('throws TF_OUTPUT_UNEXPECTED for anything else', () => {
    expect(() => parseBinaryVersion('hello')).toThrow(expect.objectContaining({ code: 'TF_OUTPUT_UNEXPECTED' }));
  });

  it.runIf(tfBinary)('asks the real binary', async () => {
    const v = await detectBinaryVersion(tfBinary as string, { env: tfEnv() });
    expect(['tofu', 'terraform']).toContain(v.flavor);
    expect(v.major).toBeGreaterThanOrEqual(1);
  });
});
