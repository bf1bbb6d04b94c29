// What a CLI command may touch of the outside world, injected so tests run commands in-process with no patching.

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Read only when a command is told to read `-`. */
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** stderr is a terminal: progress bars and colour are allowed. */
  isTTY: boolean;
}

/** A command: parsed arguments in, exit code out. It throws VelocityError for user and usage errors. */
export type Command = (args: readonly string[], io: CliIo) => Promise<number>;
