// Test support: Terraform's `http` state backend with locking on 127.0.0.1, plus a second state at `/slow` that a
// `terraform_remote_state` data source reads: its GET is held until `release()` (or 60 s), so a plan is reliably
// mid-refresh, holding the lock, for as long as a test needs. Every request is logged as `METHOD path`.

import type { ServerResponse } from 'node:http';
import { startStateServer } from './http-state-server.js';

export interface SlowHttpBackend {
  /** The backend's address (state, LOCK and UNLOCK). */
  readonly url: string;
  /** The held remote state, for `data "terraform_remote_state"`. */
  readonly slowUrl: string;
  /** The LockInfo of the current lock, if any. */
  lock(): Record<string, unknown> | undefined;
  /** Requests seen, as `METHOD path`, in order. */
  readonly log: string[];
  /** Answers every held GET of `/slow` now, and every later one at once. */
  release(): void;
  /** Holds the GETs of `/slow` again (the initial mode). */
  hold(): void;
  /** GETs of `/slow` waiting for `release()`. */
  held(): number;
  close(): Promise<void>;
}

const REMOTE_STATE = JSON.stringify({ version: 4, terraform_version: '1.11.4', serial: 1, lineage: 'slow-remote', outputs: { v: { value: 'x', type: 'string' } }, resources: [] });

/** Starts the server on a random port of 127.0.0.1, with `/slow` held (call `release()` for init and apply). */
export async function startSlowHttpBackend(): Promise<SlowHttpBackend> {
  let released = false;
  const held: ServerResponse[] = [];
  const answerSlow = (res: ServerResponse): void => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(REMOTE_STATE);
  };
  const server = await startStateServer({
    route: (req, res) => {
      if (req.url !== '/slow') return false;
      if (req.method !== 'GET') {
        res.writeHead(405);
        res.end();
      } else if (released) {
        answerSlow(res);
      } else {
        held.push(res);
        const timer = setTimeout(() => answerSlow(res), 60_000);
        res.on('close', () => clearTimeout(timer));
      }
      return true;
    },
  });
  return {
    url: server.url,
    slowUrl: server.url.replace(/\/state$/, '/slow'),
    lock: server.lock,
    log: server.log,
    hold: () => {
      released = false;
    },
    held: () => held.filter((res) => !res.writableEnded && !res.destroyed).length,
    release: () => {
      released = true;
      for (const res of held.splice(0)) if (!res.writableEnded) answerSlow(res);
    },
    close: () => server.close(),
  };
}

/** A root module using `backend`: a few terraform_data resources and the held remote state (read at every plan). */
export function slowBackendConfig(backend: SlowHttpBackend): string {
  return `terraform {
  backend "http" {
    address        = "${backend.url}"
    lock_address   = "${backend.url}"
    unlock_address = "${backend.url}"
  }
}

data "terraform_remote_state" "slow" {
  backend = "http"
  config = {
    address = "${backend.slowUrl}"
  }
}

resource "terraform_data" "a" {
  input = data.terraform_remote_state.slow.outputs.v
}

resource "terraform_data" "b" {
  input = "b"
}
`;
}
