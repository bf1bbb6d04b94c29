// The simulated cloud behind the sim provider: objects keyed by id, the behaviour knobs (read latency, injected
// failures, drift, deletion) and the call counters. Pure in-memory state, no I/O; the gRPC and HTTP layers share it.
// Guarantees: counters are exact (one increment per RPC received), and every snapshot it returns is a sorted copy.
import { simId, type KnownSimObject } from './sim-values.js';

/** Which operations fail for which resource names (by the `name` attribute). */
export interface SimFailures {
  /** Names whose ReadResource returns an error diagnostic. */
  read?: readonly string[];
  /** Names whose PlanResourceChange returns an error diagnostic. */
  plan?: readonly string[];
  /** Names whose ApplyResourceChange returns an error diagnostic. */
  apply?: readonly string[];
}

/** Knobs a sim starts with. */
export interface SimBehaviour {
  /** Delay of every ReadResource, in milliseconds. @default 0 */
  readLatencyMs?: number;
  /** Injected failures. @default none */
  failOn?: SimFailures;
  /**
   * What ReadResource does with an id the cloud has never seen (a state written by a generator, not by apply):
   * `true` adopts the prior state as the remote object, `false` answers "gone" (null). Ids deleted through the sim
   * (destroy, `deleteObject`) always answer "gone".
   * @default true
   */
  adoptUnknown?: boolean;
}

/** Call counts since the last reset. Keys are sorted. */
export interface SimCounters {
  /** Calls per RPC method name (`ReadResource`, `PlanResourceChange`, ...). */
  rpc: Record<string, number>;
  /** ReadResource calls per resource `name` attribute ("?" when the name was unknown). */
  reads: Record<string, number>;
  /** ApplyResourceChange calls per resource `name`. */
  applies: Record<string, number>;
  /** Reads that waited for the latency knob (latency > 0). */
  delayedReads: number;
  /** Most ReadResource calls in flight at once. */
  maxConcurrentReads: number;
}

/** The in-memory cloud and its counters. Every method is O(1) unless stated. */
export class SimCloud {
  private readonly objects = new Map<string, KnownSimObject>();
  private readonly idByName = new Map<string, string>();
  private readonly gone = new Set<string>();
  /** Drift waiting for an object the cloud has not adopted yet (name -> new value). */
  private readonly pendingDrift = new Map<string, string | null>();
  private readonly pendingDelete = new Set<string>();
  private latencyMs: number;
  private failures: { read: Set<string>; plan: Set<string>; apply: Set<string> };
  private readonly adoptUnknown: boolean;
  private rpc = new Map<string, number>();
  private reads = new Map<string, number>();
  private applies = new Map<string, number>();
  private delayedReads = 0;
  private inFlightReads = 0;
  private maxConcurrentReads = 0;
  /** Names whose ApplyResourceChange waits for releaseApplies() (or holdTimeoutMs). */
  private heldNames = new Set<string>();
  private holdTimeoutMs = 0;
  /** Applies waiting now: each resolves with true when released, false on its timeout. */
  private readonly waiting = new Set<(released: boolean) => void>();

  constructor(behaviour: SimBehaviour = {}) {
    this.latencyMs = checkLatency(behaviour.readLatencyMs ?? 0);
    this.failures = toFailureSets(behaviour.failOn ?? {});
    this.adoptUnknown = behaviour.adoptUnknown ?? true;
  }

  /** Count one RPC. */
  countRpc(method: string): void {
    bump(this.rpc, method);
  }

  /** Set the ReadResource latency (ms, 0..60000). */
  setLatency(ms: number): void {
    this.latencyMs = checkLatency(ms);
  }

  /** Replace the injected failures. */
  failOn(failures: SimFailures): void {
    this.failures = toFailureSets(failures);
  }

  /** Whether `op` is set to fail for `name`. */
  shouldFail(op: keyof SimFailures, name: string): boolean {
    return this.failures[op].has(name);
  }

  /** Zero every counter. */
  resetCounters(): void {
    this.rpc = new Map();
    this.reads = new Map();
    this.applies = new Map();
    this.delayedReads = 0;
    this.maxConcurrentReads = this.inFlightReads;
  }

  /** A sorted copy of the counters. O(names log names). */
  counters(): SimCounters {
    return {
      rpc: sortedRecord(this.rpc),
      reads: sortedRecord(this.reads),
      applies: sortedRecord(this.applies),
      delayedReads: this.delayedReads,
      maxConcurrentReads: this.maxConcurrentReads,
    };
  }

  /**
   * Serve one read: count it, wait for the latency knob, then return the current remote object for `prior`
   * (null when it is gone). Throws nothing; failure injection is checked by the caller after this returns.
   */
  async read(name: string, prior: KnownSimObject): Promise<KnownSimObject | null> {
    bump(this.reads, name);
    this.inFlightReads += 1;
    this.maxConcurrentReads = Math.max(this.maxConcurrentReads, this.inFlightReads);
    try {
      if (this.latencyMs > 0) {
        this.delayedReads += 1;
        await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
      }
      return this.current(prior);
    } finally {
      this.inFlightReads -= 1;
    }
  }

  /** Count one apply of `name`. */
  countApply(name: string): void {
    bump(this.applies, name);
  }

  /**
   * Hold the ApplyResourceChange of these names (replacing any earlier hold) until releaseApplies(), each for at most
   * `timeoutMs` (1..120000), so a test can act while an apply is in flight. Applies already waiting stay held.
   */
  holdApplies(names: readonly string[], timeoutMs: number): void {
    if (!Number.isFinite(timeoutMs) || timeoutMs < 1 || timeoutMs > 120_000) throw new RangeError(`sim hold timeout must be 1..120000 ms, got ${timeoutMs}`);
    this.heldNames = new Set(names);
    this.holdTimeoutMs = Math.floor(timeoutMs);
  }

  /** Release every held apply and clear the hold. */
  releaseApplies(): void {
    this.heldNames = new Set();
    for (const release of [...this.waiting]) release(true);
  }

  /** Applies waiting on the hold now. */
  heldApplies(): number {
    return this.waiting.size;
  }

  /**
   * Called by ApplyResourceChange before it changes anything: resolves at once (true) unless `name` is held, else
   * when released (true) or after the hold's timeout (false). Never rejects.
   */
  async applyGate(name: string): Promise<boolean> {
    if (!this.heldNames.has(name)) return true;
    return new Promise<boolean>((resolve) => {
      const done = (released: boolean): void => {
        clearTimeout(timer);
        this.waiting.delete(done);
        resolve(released);
      };
      const timer = setTimeout(() => done(false), this.holdTimeoutMs);
      this.waiting.add(done);
    });
  }

  /** Create or update the remote object (apply). Returns the stored copy. */
  put(o: KnownSimObject): KnownSimObject {
    const copy = cloneObject(o);
    const oldId = this.idByName.get(copy.name);
    if (oldId !== undefined && oldId !== copy.id) this.objects.delete(oldId);
    this.objects.set(copy.id, copy);
    this.idByName.set(copy.name, copy.id);
    this.gone.delete(copy.id);
    this.pendingDrift.delete(copy.name);
    this.pendingDelete.delete(copy.name);
    return cloneObject(copy);
  }

  /** Delete the remote object with this id (destroy). */
  remove(id: string): void {
    const o = this.objects.get(id);
    if (o !== undefined && this.idByName.get(o.name) === id) this.idByName.delete(o.name);
    this.objects.delete(id);
    this.gone.add(id);
  }

  /** The remote object with this id, if it exists now. */
  get(id: string): KnownSimObject | undefined {
    const o = this.objects.get(id);
    return o === undefined ? undefined : cloneObject(o);
  }

  /**
   * Change an object's `value` behind Terraform's back. Works before the cloud has seen the object (e.g. a generated
   * state): the drift is then applied when the object is first read.
   */
  injectDrift(name: string, value: string | null): void {
    const id = this.idByName.get(name);
    const o = id === undefined ? undefined : this.objects.get(id);
    if (o === undefined) this.pendingDrift.set(name, value);
    else o.value = value;
  }

  /** Delete an object behind Terraform's back: its next read answers "gone". */
  deleteObject(name: string): void {
    const id = this.idByName.get(name) ?? simId(name);
    this.pendingDelete.add(name);
    this.remove(id);
  }

  /** Every remote object, sorted by id. O(n log n). */
  list(): KnownSimObject[] {
    return [...this.objects.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map(cloneObject);
  }

  private current(prior: KnownSimObject): KnownSimObject | null {
    if (this.gone.has(prior.id) || this.pendingDelete.has(prior.name)) return null;
    let o = this.objects.get(prior.id);
    if (o === undefined) {
      if (!this.adoptUnknown) return null;
      o = cloneObject(prior);
      const drift = this.pendingDrift.get(prior.name);
      if (drift !== undefined) o.value = drift;
      this.pendingDrift.delete(prior.name);
      this.objects.set(o.id, o);
      this.idByName.set(o.name, o.id);
    }
    return cloneObject(o);
  }
}

function cloneObject(o: KnownSimObject): KnownSimObject {
  return { id: o.id, name: o.name, inputs: o.inputs === null ? null : { ...o.inputs }, value: o.value };
}

function bump(m: Map<string, number>, key: string): void {
  m.set(key, (m.get(key) ?? 0) + 1);
}

function sortedRecord(m: Map<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const k of [...m.keys()].sort()) out[k] = m.get(k) ?? 0;
  return out;
}

function toFailureSets(f: SimFailures): { read: Set<string>; plan: Set<string>; apply: Set<string> } {
  return { read: new Set(f.read ?? []), plan: new Set(f.plan ?? []), apply: new Set(f.apply ?? []) };
}

function checkLatency(ms: number): number {
  if (!Number.isFinite(ms) || ms < 0 || ms > 60_000) throw new RangeError(`sim read latency must be 0..60000 ms, got ${ms}`);
  return Math.floor(ms);
}
