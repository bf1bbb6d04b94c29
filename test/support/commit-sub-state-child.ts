// Test support: a child process that runs one commitSubState (options as JSON in argv[2]) so a test can kill -9 it
// at any moment. Prints `start` just before the commit and `done <ms>` after it.
import { commitSubState, type CommitOptions } from '../../src/apply/commit-sub-state.js';

const options = JSON.parse(process.argv[2] as string) as CommitOptions;
process.stdout.write('start\n');
const t0 = performance.now();
await commitSubState(options);
process.stdout.write(`done ${Math.round(performance.now() - t0)}\n`);
