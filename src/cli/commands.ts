// The command table: name → lazy import, so `velocity cone` never loads the code of `velocity plan`.
import type { Command } from './cli-io.js';

export interface CommandEntry {
  readonly summary: string;
  readonly load: () => Promise<Command>;
}

export const commands: Readonly<Record<string, CommandEntry>> = {
};
