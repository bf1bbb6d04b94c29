// newLockInfo fills ID, Who, Version and Created like OpenTofu's NewLockInfo, in Terraform's JSON shape, and
// lockInfoFromJson reads any holder's JSON without throwing.
import { describe, it, expect } from 'vitest';
import { hostname } from 'node:os';
import { lockInfoFromJson, newLockInfo } from '../../src/lock/lock-info.js';

describe('newLockInfo', () => {
  it('fills a fresh UUID, user@host, velocity’s version and a UTC creation time', () => {
    const a = newLockInfo({ operation: 'OperationTypePlan', info: 'x', path: '/s' });
    const b = newLockInfo();
    expect(a.ID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(a.ID).not.toBe(b.ID);
    expect(a.Who.endsWith(`@${hostname()}`)).toBe(true);
    expect(a.Version).toMatch(/^velocity \d+\.\d+\.\d+/);
    expect(Date.parse(a.Created)).toBeLessThanOrEqual(Date.now());
    expect(a.Created.endsWith('Z')).toBe(true);
    expect(Object.keys(a)).toEqual(['ID', 'Operation', 'Info', 'Who', 'Version', 'Created', 'Path']);
    expect([a.Operation, a.Info, a.Path]).toEqual(['OperationTypePlan', 'x', '/s']);
    expect(b.Operation).toBe('OperationTypeInvalid');
  });

  it('round-trips through JSON and tolerates junk', () => {
    const a = newLockInfo({ operation: 'OperationTypeApply' });
    expect(lockInfoFromJson(JSON.parse(JSON.stringify(a)))).toEqual(a);
    expect(lockInfoFromJson(null).ID).toBe('');
    expect(lockInfoFromJson({ ID: 7, Who: 'me@h' })).toEqual({ ID: '', Operation: '', Info: '', Who: 'me@h', Version: '', Created: '', Path: '' });
  });
});
