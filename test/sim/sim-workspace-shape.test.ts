// writeSimWorkspace without terraform: sizes (300 and 2,000 resources), unique names and addresses, the state's
// instances equal the listed resources, identical bytes for identical options, bad sizes rejected.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeSimWorkspace } from '../support/sim/index.js';

const root = mkdtempSync(join(tmpdir(), 'velocity-sim-shape-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

interface StateDoc {
  resources: { module?: string; name: string; instances: { index_key?: string; attributes: { name: string } }[] }[];
}

describe('writeSimWorkspace', () => {
  it('makes 301 and 2,001 resources with unique names and addresses, matching its state', () => {
    for (const [customers, total] of [
      [12, 301],
      [80, 2001],
    ] as const) {
      const ws = writeSimWorkspace(join(root, `n${customers}`), { customers, tunnelsPerCustomer: 4, devicesPerCustomer: 20, withState: true });
      expect(ws.resourceCount).toBe(total);
      expect(new Set(ws.resources.map((r) => r.name)).size).toBe(total);
      expect(new Set(ws.resources.map((r) => r.address)).size).toBe(total);
      const state = JSON.parse(readFileSync(join(ws.dir, 'terraform.tfstate'), 'utf8')) as StateDoc;
      const stateNames = state.resources.flatMap((r) => r.instances.map((i) => i.attributes.name)).sort();
      expect(stateNames).toEqual(ws.resources.map((r) => r.name).sort());
      expect(ws.byAddress(ws.device(ws.customers[0] ?? '', 'd07').address)?.name).toBe(`${ws.customers[0]}/device/d07`);
    }
  });

  it('writes the same bytes for the same options', () => {
    const opts = { customers: 3, tunnelsPerCustomer: 2, devicesPerCustomer: 5, withState: true };
    const a = writeSimWorkspace(join(root, 'a'), opts);
    const b = writeSimWorkspace(join(root, 'b'), opts);
    for (const f of ['main.tf', 'modules/customer/main.tf', 'terraform.tfstate', '.terraform/modules/modules.json']) {
      expect(readFileSync(join(a.dir, f), 'utf8')).toBe(readFileSync(join(b.dir, f), 'utf8'));
    }
  });

  it('assigns device i to tunnel i mod tunnels', () => {
    const ws = writeSimWorkspace(join(root, 'map'), { customers: 1, tunnelsPerCustomer: 3, devicesPerCustomer: 7 });
    expect(ws.devices.map((d) => ws.tunnelOf(d))).toEqual(['t1', 't2', 't3', 't1', 't2', 't3', 't1']);
    expect(() => ws.device('c1', 'd9')).toThrow(RangeError);
  });

  it('keeps earlier setDeviceValue edits and refuses one without per-device values', () => {
    const ws = writeSimWorkspace(join(root, 'values'), { customers: 2, tunnelsPerCustomer: 1, devicesPerCustomer: 2, customersIn: 'tfvars' });
    const tfvars = join(ws.dir, 'customers.auto.tfvars');
    expect(readFileSync(tfvars, 'utf8')).not.toContain('"v2"');
    ws.setDeviceValue('c1', 'd2', 'v2');
    ws.setDeviceValue('c2', 'd1', 'v3');
    const text = readFileSync(tfvars, 'utf8');
    expect(text).toContain('"c1" = {\n    devices = {\n      "d1" = "v1"\n      "d2" = "v2"');
    expect(text).toContain('"c2" = {\n    devices = {\n      "d1" = "v3"');
    expect(readFileSync(join(ws.dir, 'main.tf'), 'utf8')).toContain('for_each      = var.customers');
    expect(() => ws.setDeviceValue('c9', 'd1', 'v2')).toThrow(RangeError);
    const plain = writeSimWorkspace(join(root, 'plain'), { customers: 1, tunnelsPerCustomer: 1, devicesPerCustomer: 1 });
    expect(() => plain.setDeviceValue('c1', 'd1', 'v2')).toThrow(RangeError);
  });

  it('rejects sizes out of range', () => {
    expect(() => writeSimWorkspace(join(root, 'bad'), { customers: 0, tunnelsPerCustomer: 1, devicesPerCustomer: 1 })).toThrow(RangeError);
    expect(() => writeSimWorkspace(join(root, 'bad'), { customers: 1, tunnelsPerCustomer: 1.5, devicesPerCustomer: 1 })).toThrow(RangeError);
  });
});
