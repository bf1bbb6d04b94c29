// Terraform's `http` backend lock protocol: LOCK (or the configured lock_method) to lock_address with the JSON
// LockInfo as body; 200 = locked; 423 Locked or 409 Conflict = held, with the holder's LockInfo as body; UNLOCK
// (unlock_method) to unlock_address with the same body. Velocity speaks it so it and `terraform` exclude each other.

import { LockBackendError, LockConflictError, LockNotHeldError } from './lock-errors.js';
import { lockInfoFromJson, newLockInfo, type LockInfo } from './lock-info.js';
import type { GlobalLease, GlobalLockAdapter } from './global-lock-adapter.js';

/** The http backend's lock settings, named as in Terraform's `backend "http"` block. */
export interface HttpLockAdapterOptions {
  /** The state's `address` (reported as LockInfo.Path). */
  readonly address: string;
  /** `lock_address`. @default address */
  readonly lockAddress?: string;
  /** `unlock_address`. @default lockAddress */
  readonly unlockAddress?: string;
  /** `lock_method`. @default 'LOCK' */
  readonly lockMethod?: string;
  /** `unlock_method`. @default 'UNLOCK' */
  readonly unlockMethod?: string;
  /** Basic auth, as `username`/`password`. */
  readonly username?: string;
  readonly password?: string;
  /** Extra request headers. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Per-request timeout. @default 10000 */
  readonly timeoutMs?: number;
  /** Injected fetch (tests, proxies). @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** Terraform's http-backend lock on one state URL. */
export class HttpLockAdapter implements GlobalLockAdapter {
  readonly backend = 'http';
  readonly path: string;
  readonly #o: Required<Pick<HttpLockAdapterOptions, 'lockAddress' | 'unlockAddress' | 'lockMethod' | 'unlockMethod' | 'timeoutMs'>> & HttpLockAdapterOptions;
  readonly #fetch: typeof fetch;

  constructor(options: HttpLockAdapterOptions) {
    const lockAddress = options.lockAddress ?? options.address;
    this.path = options.address;
    this.#o = {
      ...options,
      lockAddress,
      unlockAddress: options.unlockAddress ?? lockAddress,
      lockMethod: options.lockMethod ?? 'LOCK',
      unlockMethod: options.unlockMethod ?? 'UNLOCK',
      timeoutMs: options.timeoutMs ?? 10_000,
    };
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  async #send(method: string, url: string, body: LockInfo): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...this.#o.headers };
    if (this.#o.username !== undefined) {
      headers['Authorization'] = `Basic ${Buffer.from(`${this.#o.username}:${this.#o.password ?? ''}`).toString('base64')}`;
    }
    try {
      const res = await this.#fetch(url, { method, headers, body: JSON.stringify(body), signal: AbortSignal.timeout(this.#o.timeoutMs) });
      return { status: res.status, text: await res.text() };
    } catch (error) {
      throw new LockBackendError('http', `${method} ${url} failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }

  #holderFrom(text: string): LockInfo {
    try {
      return lockInfoFromJson(JSON.parse(text));
    } catch {
      return { ...lockInfoFromJson({}), Path: this.path, Info: `locked; the server's answer was not a LockInfo: ${text.slice(0, 200)}` };
    }
  }

  async tryAcquire(info: LockInfo): Promise<GlobalLease> {
    const res = await this.#send(this.#o.lockMethod, this.#o.lockAddress, info);
    if (res.status === 423 || res.status === 409) throw new LockConflictError(this.#holderFrom(res.text), [], { detail: `HTTP ${res.status}` });
    if (res.status !== 200) {
      throw new LockBackendError('http', `${this.#o.lockMethod} ${this.#o.lockAddress} answered HTTP ${res.status}: ${res.text.slice(0, 200)}`, { code: 'LOCK_BACKEND_PROTOCOL' });
    }
    let released = false;
    return {
      expiresAt: undefined,
      release: async () => {
        if (released) return;
        // A 423/409 answer means another lock holds the state now (ours was force-unlocked): nothing of ours to release.
        await this.#unlock(info);
        released = true;
      },
    };
  }

  /** True when released; false when the server says another lock holds the state (ours is already gone). */
  async #unlock(info: LockInfo): Promise<boolean> {
    const res = await this.#send(this.#o.unlockMethod, this.#o.unlockAddress, info);
    if (res.status === 200) return true;
    if (res.status === 423 || res.status === 409) return false;
    throw new LockBackendError('http', `${this.#o.unlockMethod} ${this.#o.unlockAddress} answered HTTP ${res.status}: ${res.text.slice(0, 200)}`, { code: 'LOCK_BACKEND_PROTOCOL' });
  }

  /**
   * The protocol has no "who holds it" request, so this probes: LOCK with a throw-away id; 423/409 names the holder,
   * 200 means nobody held it and the probe lock is released at once. NOTE: a terraform starting in that instant
   * with -lock-timeout=0 sees a lock error; inspect only on an operator's request.
   */
  async inspect(): Promise<LockInfo | undefined> {
    const probe = newLockInfo({ operation: 'velocity locks (probe)', path: this.path });
    try {
      const lease = await this.tryAcquire(probe);
      await lease.release();
      return undefined;
    } catch (error) {
      if (error instanceof LockConflictError) return error.holder;
      throw error;
    }
  }

  async forceRelease(id: string): Promise<void> {
    const holder = await this.inspect();
    if (holder === undefined || holder.ID.toLowerCase() !== id || !(await this.#unlock(holder))) {
      throw new LockNotHeldError(id, 'no such lock is held on this state');
    }
  }

  async close(): Promise<void> {}
}
