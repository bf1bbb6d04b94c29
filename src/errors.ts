// Every error velocity raises on purpose: a class with a stable `code` that callers and tests match on.
// The CLI prints `error[CODE]: message` for these and never a stack trace; anything else is a bug.

/** Base class: `code` is stable across releases, `message` is for humans and may change. */
export class VelocityError extends Error {
  readonly code: string;
  /** How the CLI should exit: 1 for user errors (bad input), 2 for usage errors. */
  readonly exitCode: 1 | 2;
  constructor(code: string, message: string, options?: { cause?: unknown; exitCode?: 1 | 2 }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options?.exitCode ?? 1;
  }
}

/** Why a state could not be read. */
export type StateParseErrorCode =
  | 'STATE_EMPTY'
  | 'STATE_NOT_JSON'
  | 'STATE_TRUNCATED'
  | 'STATE_BINARY'
  | 'STATE_ENCRYPTED'
  | 'STATE_NOT_A_STATE'
  /** Two current objects (or two deposed objects with one deposed key) of one instance address. */
  | 'STATE_DUPLICATE_INSTANCE'
  /** An `index_key` that is neither a string nor a whole number (true, an object, 1.5). */
  | 'STATE_BAD_INDEX_KEY';

/**
 * The bytes are not a readable tfstate: empty, not JSON, cut short, binary, encrypted, some other JSON, or a
 * state Terraform itself refuses (an instance twice, an invalid index key, fields of the wrong type).
 */
export class StateParseError extends VelocityError {
  /** Byte offset where the problem was seen, when known. */
  readonly offset: number | undefined;
  constructor(code: StateParseErrorCode, message: string, options?: { offset?: number; cause?: unknown }) {
    super(code, message, options);
    this.offset = options?.offset;
  }
}

/** A tfstate whose `version` is not 4: v3 and older need an upgrade by Terraform 0.12+, newer ones a newer velocity. */
export class UnsupportedStateVersionError extends VelocityError {
  readonly version: number;
  constructor(version: number) {
    const old = version < 4;
    super(
      old ? 'STATE_VERSION_TOO_OLD' : 'STATE_VERSION_FUTURE',
      old
        ? `state format version ${version} is too old: velocity reads version 4. Upgrade it by running \`terraform plan\` and \`terraform apply\` once with Terraform 0.12 or newer (or OpenTofu), then retry.`
        : `state format version ${version} is newer than this velocity understands (it reads version 4). Upgrade velocity.`,
    );
    this.version = version;
  }
}

/** A string that is not a valid Terraform address (resource, instance, module or target). */
export class AddressParseError extends VelocityError {
  readonly input: string;
  constructor(input: string, reason: string) {
    super('ADDRESS_INVALID', `invalid address ${JSON.stringify(input)}: ${reason}`);
    this.input = input;
  }
}

/** A valid address that names nothing in the state. */
export class UnknownAddressError extends VelocityError {
  readonly addresses: readonly string[];
  constructor(addresses: readonly string[]) {
    super(
      'ADDRESS_UNKNOWN',
      addresses.length === 1
        ? `no resource instance in the state matches ${addresses[0]}`
        : `no resource instance in the state matches: ${addresses.join(', ')}`,
    );
    this.addresses = addresses;
  }
}

/** The dependencies recorded in a state form one or more cycles; every cycle found is listed. */
export class DependencyCycleError extends VelocityError {
  /** Each cycle as the addresses on it, in dependency order, first address repeated at the end. */
  readonly cycles: readonly (readonly string[])[];
  constructor(cycles: readonly (readonly string[])[]) {
    super(
      'GRAPH_CYCLE',
      `the state's dependencies contain ${cycles.length} cycle(s): ` +
        cycles.map((c) => c.join(' -> ')).join('; '),
    );
    this.cycles = cycles;
  }
}

/** The command line itself is wrong (unknown flag, missing argument). The CLI exits 2. */
export class UsageError extends VelocityError {
  constructor(message: string) {
    super('USAGE', message, { exitCode: 2 });
  }
}

/** A file or stream could not be read (missing file, permission). */
export class SourceReadError extends VelocityError {
  readonly path: string;
  constructor(path: string, cause: unknown) {
    const reason = cause instanceof Error && 'code' in cause ? String((cause as NodeJS.ErrnoException).code) : String(cause);
    super('SOURCE_UNREADABLE', `cannot read ${path}: ${reason}`, { cause });
    this.path = path;
  }
}
