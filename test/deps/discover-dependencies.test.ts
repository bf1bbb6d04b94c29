// `deps discover` reads the edges a consumer's terraform_remote_state data sources and their `outputs.X` /
// `outputs["X"]` references imply; a backend it cannot locate and a read of the whole outputs map are warnings.
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { discoverDependencies, locateLocalProducer } from '../../src/deps/discover-dependencies.js';
import { tempWorkspace, type TempWorkspace } from '../support/temp-workspace.js';

let ws: TempWorkspace | undefined;
afterEach(() => ws?.cleanup());

it('finds each output read through a located remote state, sorted, and warns about the rest', async () => {
  ws = tempWorkspace({
    'app/main.tf': [
      'data "terraform_remote_state" "net" {\n  backend = "local"\n  config = {\n    path = "../net/terraform.tfstate"\n  }\n}',
      'data "terraform_remote_state" "dns" {\n  backend = "http"\n  config = {\n    address = "http://127.0.0.1:1/tfstate/x"\n  }\n}',
      'resource "terraform_data" "a" {\n  input = "${data.terraform_remote_state.net.outputs.vpc}/${data.terraform_remote_state.net.outputs["zone"]}"\n}',
      'locals {\n  all = data.terraform_remote_state.net.outputs\n  d = data.terraform_remote_state.dns.outputs.name\n  other = data.terraform_remote_state.nope.outputs.x\n}',
    ].join('\n'),
    'app/extra.tf.json': JSON.stringify({ output: { o: { value: '${data.terraform_remote_state.net.outputs.vpc}' } } }),
  });
  const r = await discoverDependencies([{ state: 'app', dir: join(ws.dir, 'app') }], locateLocalProducer((dir) => (dir === join(ws?.dir ?? '', 'net') ? 'net' : dir)));
  expect(r.edges).toEqual([
    { producer: 'net', output: 'vpc', consumer: 'app' },
    { producer: 'net', output: 'zone', consumer: 'app' },
  ]);
  expect(r.warnings).toEqual([
    'app: data.terraform_remote_state.dns (backend "http") cannot be located here; declare its edges with `velocity deps add`',
    'app: reads the whole outputs of data.terraform_remote_state.net; declare the outputs it uses with `velocity deps add`',
  ]);
});
