import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { passthroughPlanArgv, splitPlanArgs } from '../../src/tf/plan-args.js';

describe('splitPlanArgs', () => {
  it("takes velocity's --flags and passes the binary's flags through verbatim, in order", () => {
    const { velocity, binary } = splitPlanArgs([
      '-var=a=1', '--state', 's.tfstate', '-var-file', 'x.tfvars', '--changed=aws_x.a', '--changed', 'aws_x.b',
      '-out=plan.bin', '--verbose-refresh', '-lock=false', '-parallelism=3', '--binary=/opt/tofu', '-json', '-no-color',
      '--refresh-strategy=full', '-detailed-exitcode', '--dry-run-refresh',
    ]);
    expect(velocity).toEqual({ state: 's.tfstate', changed: ['aws_x.a', 'aws_x.b'], binary: '/opt/tofu', strategy: 'full', mode: 'full', verboseRefresh: true, dryRun: true, probe: 'show-json', help: false, lockScope: 'cone' });
    expect(binary.rest).toEqual(['-var=a=1', '-var-file', 'x.tfvars', '-out=plan.bin', '-lock=false', '-parallelism=3', '-json', '-no-color', '-detailed-exitcode']);
    expect(binary).toMatchObject({ out: 'plan.bin', json: true, noColor: true, detailedExitcode: true, refresh: true });
    expect(binary.probe).toEqual(['-var=a=1', '-var-file', 'x.tfvars', '-lock=false', '-parallelism=3', '-json', '-no-color']);
  });

  it('pulls -target (both spellings) and -chdir out, and puts them back for a pass-through run', () => {
    const { binary } = splitPlanArgs(['-target=a.b', '-target', 'module.m["x"]', '-chdir=infra', '-replace=a.c', '-refresh=false']);
    expect(binary.targets).toEqual(['a.b', 'module.m["x"]']);
    expect(binary.replaces).toEqual(['a.c']);
    expect(binary.refresh).toBe(false);
    expect(passthroughPlanArgv(binary)).toEqual({ global: ['-chdir=infra'], plan: ['-replace=a.c', '-refresh=false', '-target=a.b', '-target=module.m["x"]'] });
  });

  it('passes everything after -- through, even velocity-looking flags', () => {
    expect(splitPlanArgs(['--', '--state=x']).binary.rest).toEqual(['--state=x']);
  });

  it('rejects a velocity flag without its value and a bad strategy with USAGE', () => {
    expect(() => splitPlanArgs(['--state'])).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => splitPlanArgs(['--refresh-strategy=fast'])).toThrow(expect.objectContaining({ code: 'USAGE' }));
    expect(() => splitPlanArgs(['-refresh=maybe'])).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('never drops or reorders a binary argument that is not -target/-chdir (property)', () => {
    const flag = fc.oneof(
      fc.constantFrom('-json', '-no-color', '-lock=false', '-detailed-exitcode', '-input=false', '-compact-warnings'),
      fc.string({ minLength: 1, maxLength: 12 }).map((v) => `-var=k=${v}`),
      fc.string({ minLength: 1, maxLength: 12 }).filter((v) => !v.startsWith('-')).map((v) => ['-var-file', v]),
    );
    fc.assert(
      fc.property(fc.array(flag, { maxLength: 12 }), (flags) => {
        const argv = flags.flat();
        expect(splitPlanArgs(argv).binary.rest).toEqual(argv);
      }),
    );
  });
});
