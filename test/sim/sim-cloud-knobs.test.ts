// SimCloud semantics without terraform: adoption of unknown ids, drift and deletion (also before adoption),
// destroyed ids stay gone, exact counters, failure sets, latency bounds.
import { describe, expect, it } from 'vitest';
import { SimCloud, simId, type KnownSimObject } from '../support/sim/index.js';

const obj = (name: string, value: string | null = 'v1'): KnownSimObject => ({ id: simId(name), name, inputs: null, value });

describe('SimCloud', () => {
  it('adopts an unknown id on first read by default, and answers gone when adoptUnknown is false', async () => {
    const cloud = new SimCloud();
    expect(await cloud.read('a', obj('a'))).toEqual(obj('a'));
    expect(cloud.list()).toEqual([obj('a')]);
    expect(await new SimCloud({ adoptUnknown: false }).read('a', obj('a'))).toBeNull();
  });

  it('drift changes what the next read returns, before or after adoption', async () => {
    const cloud = new SimCloud();
    cloud.injectDrift('a', 'early');
    expect((await cloud.read('a', obj('a')))?.value).toBe('early');
    cloud.put(obj('b'));
    cloud.injectDrift('b', null);
    expect((await cloud.read('b', obj('b')))?.value).toBeNull();
  });

  it('deleted and destroyed objects read as gone until re-created', async () => {
    const cloud = new SimCloud();
    cloud.deleteObject('a');
    expect(await cloud.read('a', obj('a'))).toBeNull();
    cloud.put(obj('a'));
    expect(await cloud.read('a', obj('a'))).toEqual(obj('a'));
    cloud.remove(simId('a'));
    expect(await cloud.read('a', obj('a'))).toBeNull();
    expect(cloud.get(simId('a'))).toBeUndefined();
  });

  it('counts exactly and resets, with sorted keys', async () => {
    const cloud = new SimCloud();
    cloud.countRpc('ReadResource');
    cloud.countRpc('GetProviderSchema');
    cloud.countRpc('ReadResource');
    await cloud.read('z', obj('z'));
    await cloud.read('a', obj('a'));
    await cloud.read('z', obj('z'));
    cloud.countApply('a');
    const c = cloud.counters();
    expect(c.rpc).toEqual({ GetProviderSchema: 1, ReadResource: 2 });
    expect(Object.keys(c.reads)).toEqual(['a', 'z']);
    expect(c.reads).toEqual({ a: 1, z: 2 });
    expect(c.applies).toEqual({ a: 1 });
    expect(c.maxConcurrentReads).toBe(1);
    cloud.resetCounters();
    expect(cloud.counters()).toEqual({ rpc: {}, reads: {}, applies: {}, delayedReads: 0, maxConcurrentReads: 0 });
  });

  it('tracks overlapping delayed reads', async () => {
    const cloud = new SimCloud({ readLatencyMs: 20 });
    await Promise.all(['a', 'b', 'c'].map((n) => cloud.read(n, obj(n))));
    expect(cloud.counters().delayedReads).toBe(3);
    expect(cloud.counters().maxConcurrentReads).toBe(3);
  });

  it('fails exactly the named operations and rejects out-of-range latency', () => {
    const cloud = new SimCloud({ failOn: { read: ['a'], apply: ['b'] } });
    expect(cloud.shouldFail('read', 'a')).toBe(true);
    expect(cloud.shouldFail('apply', 'a')).toBe(false);
    expect(cloud.shouldFail('apply', 'b')).toBe(true);
    cloud.failOn({});
    expect(cloud.shouldFail('read', 'a')).toBe(false);
    expect(() => cloud.setLatency(-1)).toThrow(RangeError);
    expect(() => new SimCloud({ readLatencyMs: Number.NaN })).toThrow(RangeError);
  });
});
