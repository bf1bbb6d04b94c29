import { describe, expect, it } from 'vitest';
import { isTargetingWarning, parsePlanHumanLine, parsePlanJsonLine } from '../../src/tf/parse-plan-json.js';

// Lines as Terraform 1.11.4 prints them (captured from this machine's terraform, shortened).
const jsonRefresh = '{"@level":"info","@message":"module.customer[\\"c01\\"].terraform_data.site: Refreshing state... [id=8c1d]","hook":{"resource":{"addr":"module.customer[\\"c01\\"].terraform_data.site","module":"module.customer[\\"c01\\"]"},"id_key":"id","id_value":"8c1d"},"type":"refresh_start"}';
const jsonDataRead = '{"@level":"info","@message":"data.terraform_remote_state.x: Refreshing...","hook":{"resource":{"addr":"data.terraform_remote_state.x"},"action":"read"},"type":"apply_start"}';
const jsonWarning = '{"@level":"warn","@message":"Warning: Resource targeting is in effect","diagnostic":{"severity":"warning","summary":"Resource targeting is in effect","detail":"..."},"type":"diagnostic"}';
const jsonChange = '{"change":{"resource":{"addr":"terraform_data.a"},"action":"update"},"type":"planned_change"}';

describe('parsePlanJsonLine / parsePlanHumanLine', () => {
  it('reads refresh, data read, diagnostic and planned_change events from -json lines', () => {
    expect(parsePlanJsonLine(jsonRefresh)).toEqual({ type: 'refresh_start', address: 'module.customer["c01"].terraform_data.site' });
    expect(parsePlanJsonLine(jsonDataRead)).toEqual({ type: 'data_read', address: 'data.terraform_remote_state.x' });
    const w = parsePlanJsonLine(jsonWarning);
    expect(w && isTargetingWarning(w)).toBe(true);
    expect(parsePlanJsonLine(jsonChange)).toEqual({ type: 'planned_change', address: 'terraform_data.a', action: 'update' });
    expect(parsePlanJsonLine('{"type":"version"}')).toBeUndefined();
    expect(parsePlanJsonLine('{not json')).toBeUndefined();
    expect(parsePlanJsonLine('plain text')).toBeUndefined();
  });

  it('reads refresh and data read lines and the targeting warning from human output, with or without colour', () => {
    expect(parsePlanHumanLine('module.customer["c01"].terraform_data.site: Refreshing state... [id=8c1d]')).toEqual({ type: 'refresh_start', address: 'module.customer["c01"].terraform_data.site' });
    expect(parsePlanHumanLine('\u001b[0m\u001b[1mterraform_data.a: Refreshing state... [id=2]\u001b[0m')).toEqual({ type: 'refresh_start', address: 'terraform_data.a' });
    expect(parsePlanHumanLine('data.terraform_remote_state.x: Reading...')).toEqual({ type: 'data_read', address: 'data.terraform_remote_state.x' });
    expect(parsePlanHumanLine('module.m.data.aws_ami.u: Reading...')).toEqual({ type: 'data_read', address: 'module.m.data.aws_ami.u' });
    const boxed = parsePlanHumanLine('\u001b[33m│\u001b[0m \u001b[0m\u001b[1m\u001b[33mWarning: \u001b[0m\u001b[0m\u001b[1mResource targeting is in effect\u001b[0m');
    expect(boxed && isTargetingWarning(boxed)).toBe(true);
    const plain = parsePlanHumanLine('Warning: Resource targeting is in effect');
    expect(plain && isTargetingWarning(plain)).toBe(true);
    expect(parsePlanHumanLine('Plan: 0 to add, 1 to change, 0 to destroy.')).toBeUndefined();
    expect(parsePlanHumanLine('  # terraform_data.a will be updated in-place')).toBeUndefined();
  });
});
