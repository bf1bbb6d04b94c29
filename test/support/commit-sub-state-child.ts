// Test support: a child process that runs one commitSubState (options as JSON in argv[2]) so a test can kill -9 it
// at any moment or race several. Prints `start` just before the commit and `done <ms> <serial>` after it, or
// `error <CODE>` and exits 3 when it fails with a VelocityError.
import { commitSubState, type CommitOptions } from '../../src/apply/commit-sub-state.js';
import { VelocityError } from '../../src/errors.js';

const options = JSON.parse(process.argv[2] as string) as CommitOptions;
process.stdout.write('start\n');
const t0 = performance.now();
try {
  const result = await commitSubState(options);
  process.stdout.write(`done ${Math.round(performance.now() - t0)} ${result.kind === 'written' ? result.serial : 'unchanged'}\n`);
} catch (error) {
  if (!(error instanceof VelocityError)) throw error;
  process.stdout.write(`error ${error.code}\n`);
  process.exitCode = 3;
}
