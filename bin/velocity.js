#!/usr/bin/env node
// The `velocity` executable: hands argv and the process streams to the CLI and exits with its code.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2));
