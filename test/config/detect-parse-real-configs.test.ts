import { afterAll, describe, expect, it } from 'vitest';
import { fingerprintConfig } from '../../src/detect/fingerprint-config.js';
import { tempWorkspace } from '../support/temp-workspace.js';
import { VPC_WORKSPACE } from '../support/module-style-configs.js';

describe('configuration parsing of module-style workspaces', () => {
  const ws = tempWorkspace(VPC_WORKSPACE);
  afterAll(() => ws.cleanup());

  it('parses nested modules, dynamic blocks, for expressions, heredocs, templates and .tf.json without error', async () => {
    const fp = await fingerprintConfig({ workingDir: ws.dir, cachePath: false, env: {} });
    expect([...fp.blocks.keys()]).toEqual([
      'aws_iam_policy.read',
      'aws_s3_bucket.logs',
      'aws_sns_topic.alerts',
      'data.aws_caller_identity.current',
      'module.cluster.aws_autoscaling_group.nodes',
      'module.cluster.aws_launch_template.node',
      'module.vpc.aws_security_group.default',
      'module.vpc.aws_vpc.this',
      'module.vpc.module.subnet.aws_subnet.this',
    ]);
    expect(fp.stats).toEqual({ modules: 4, files: 5, blocks: 9 });
    expect(fp.graph.unattributed).toEqual([]);
    // The provider blocks and the terraform block are guarded (a change falls back to a full plan).
    expect([...fp.graph.guards.keys()].filter((k) => k.startsWith('provider:'))).toEqual(['provider:provider.aws', 'provider:provider.aws.replica']);
  });

  it('traces a nested module resource through module inputs back to root locals and variables', async () => {
    const fp = await fingerprintConfig({ workingDir: ws.dir, cachePath: false, env: {} });
    const node = fp.graph.nodes.get('vpc.subnet|aws_subnet.this');
    expect(node?.edges).toEqual(['vpc.subnet|var.az', 'vpc.subnet|var.cidr', 'vpc.subnet|var.public', 'vpc.subnet|var.vpc_id', 'vpc|module.subnet#meta']);
    expect(fp.graph.nodes.get('vpc|module.subnet#arg.cidr')?.edges).toEqual(['vpc|module.subnet#meta']);
    expect(fp.graph.nodes.get('vpc|module.subnet#meta')?.edges).toEqual(['vpc|var.subnets', '|module.vpc#meta']);
    expect(fp.graph.nodes.get('|local.subnets')?.edges).toEqual(['|var.azs']);
    // templatefile() with a static path: the template's content is part of the cluster's inputs.
    expect(fp.graph.nodes.get('|module.cluster#arg.user_data')?.files).toEqual([['templatefile:templates/user_data.sh.tpl', expect.any(String)]]);
  });
});
