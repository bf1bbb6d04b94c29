// Test support: a fresh process that runs one mergeSubState (its input as JSON in argv[2]) and prints its peak RSS
// in bytes, so a test can bound the merge's memory without the test runner's own heap in the way.
import { mergeSubState, type MergeInput } from '../../src/inject/merge-sub-state.js';

const input = JSON.parse(process.argv[2] as string) as MergeInput;
await mergeSubState(input);
process.stdout.write(String(process.resourceUsage().maxRSS * 1024));
