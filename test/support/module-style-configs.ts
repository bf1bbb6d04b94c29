// Test support: module-style workspaces written for these tests in the idioms of widely used public modules
// (a VPC module with nested subnet modules, a cluster module with dynamic blocks and templates, a .tf.json
// module). They exercise the parser, not Terraform: providers here are never run.

export const VPC_WORKSPACE: Readonly<Record<string, string>> = {
  'main.tf': `
terraform {
  required_version = ">= 1.5"
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.0" }
  }
}

provider "aws" {
  region = var.region
}

provider "aws" {
  alias  = "replica"
  region = "us-west-2"
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "azs" {
  type    = list(string)
  default = ["a", "b", "c"]
}

variable "tags" {
  type    = map(string)
  default = {}
}

locals {
  name = "main-\${terraform.workspace}"
  tags = merge(var.tags, { Name = local.name, Workspace = terraform.workspace })
  subnets = {
    for i, az in var.azs : az => {
      cidr   = cidrsubnet("10.0.0.0/16", 8, i)
      public = i % 2 == 0
    }
  }
  private_subnets = [for k, v in local.subnets : k if !v.public]
}

module "vpc" {
  source = "./modules/vpc"
  name   = local.name
  cidr   = "10.0.0.0/16"
  subnets = local.subnets
  tags   = local.tags
}

module "cluster" {
  source     = "./modules/cluster"
  count      = length(local.private_subnets) > 0 ? 1 : 0
  subnet_ids = module.vpc.private_subnet_ids
  user_data  = templatefile("\${path.module}/templates/user_data.sh.tpl", { name = local.name })
}

data "aws_caller_identity" "current" {}

resource "aws_s3_bucket" "logs" {
  bucket = "logs-\${data.aws_caller_identity.current.account_id}"
  tags   = local.tags

  lifecycle {
    prevent_destroy = true
    ignore_changes  = [tags["Owner"]]
  }
}

resource "aws_iam_policy" "read" {
  name   = "read-logs"
  policy = <<-EOT
    {
      "Version": "2012-10-17",
      "Statement": [{ "Effect": "Allow", "Action": "s3:GetObject", "Resource": "\${aws_s3_bucket.logs.arn}/*" }]
    }
  EOT
}

output "vpc_id" {
  value = module.vpc.vpc_id
}
`,
  'templates/user_data.sh.tpl': '#!/bin/sh\necho "hello ${name}"\n%{ for i in [1, 2] ~}\necho ${i}\n%{ endfor ~}\n',
  'modules/vpc/main.tf': `
variable "name" {}
variable "cidr" {}
variable "subnets" {
  type = map(object({ cidr = string, public = bool }))
}
variable "tags" {
  type    = map(string)
  default = {}
}

resource "aws_vpc" "this" {
  cidr_block = var.cidr
  tags       = merge(var.tags, { Name = var.name })
}

module "subnet" {
  source   = "./subnet"
  for_each = var.subnets
  vpc_id   = aws_vpc.this.id
  az       = each.key
  cidr     = each.value.cidr
  public   = each.value.public
}

resource "aws_security_group" "default" {
  vpc_id = aws_vpc.this.id

  dynamic "ingress" {
    for_each = { for k, v in var.subnets : k => v if v.public }
    iterator = rule
    content {
      from_port   = 443
      to_port     = 443
      protocol    = "tcp"
      cidr_blocks = [rule.value.cidr]
      description = "https from \${rule.key}"
    }
  }
}

output "vpc_id" {
  value = aws_vpc.this.id
}

output "private_subnet_ids" {
  value = [for k, s in module.subnet : s.id if !var.subnets[k].public]
}
`,
  'modules/vpc/subnet/main.tf': `
variable "vpc_id" {}
variable "az" {}
variable "cidr" {}
variable "public" {
  type    = bool
  default = false
}

resource "aws_subnet" "this" {
  vpc_id                  = var.vpc_id
  availability_zone       = var.az
  cidr_block              = var.cidr
  map_public_ip_on_launch = var.public
}

output "id" {
  value = aws_subnet.this.id
}
`,
  'modules/cluster/main.tf': `
variable "subnet_ids" {
  type = list(string)
}
variable "user_data" {
  type = string
}

resource "aws_launch_template" "node" {
  name_prefix = "node-"
  user_data   = base64encode(var.user_data)
  dynamic "block_device_mappings" {
    for_each = toset(["/dev/xvda", "/dev/xvdb"])
    content {
      device_name = block_device_mappings.value
      ebs {
        volume_size = block_device_mappings.value == "/dev/xvda" ? 20 : 100
      }
    }
  }
}

resource "aws_autoscaling_group" "nodes" {
  count               = 2
  name                = "nodes-\${count.index}"
  vpc_zone_identifier = var.subnet_ids
  min_size            = 1
  max_size            = 3
  launch_template {
    id      = aws_launch_template.node.id
    version = "$Latest"
  }
}
`,
  'extra.tf.json': JSON.stringify({
    resource: {
      aws_sns_topic: { alerts: { name: '${local.name}-alerts', tags: '${local.tags}' } },
    },
    output: { topic: { value: '${aws_sns_topic.alerts.arn}' } },
  }),
};

/**
 * A root module in the style of the terraform-aws-modules examples (`examples/complete` of terraform-aws-vpc):
 * the provider configured from a local and a variable, `name = "ex-${basename(path.cwd)}"`, tab-indented
 * multi-line `merge(...)` calls, a git-ignored `*.tfvars`, a local module. With `provider: false` the AWS
 * provider block is left out (it cannot be planned without a download) and every resource is a
 * `terraform_data` stand-in, so the real binary can plan each edit.
 */
export function awsStyleExample(options: { readonly provider: boolean }): Record<string, string> {
  const provider = options.provider
    ? `provider "aws" {
  region = local.region

  default_tags {
    tags = {
\t\t\tOwner = var.owner
\t\t}
  }
}

`
    : '';
  return {
    '.gitignore': '*.tfvars\n*.tfvars.json\n.terraform/\n*.tfstate\n*.tfstate.*\n.velocity/\n*.plan\n',
    'main.tf': `${provider}locals {
  name   = "ex-\${basename(path.cwd)}"
  region = "eu-west-1"

  vpc_cidr = "10.0.0.0/16"
  azs      = ["\${local.region}a", "\${local.region}b"]

  tags = merge(
\t\tvar.base_tags,
\t\t{
\t\t\tExample    = local.name
\t\t\tGithubRepo = "terraform-aws-vpc"
\t\t},
\t)
}

module "vpc" {
  source = "./modules/vpc"

  name = local.name
  cidr = local.vpc_cidr
  azs  = local.azs

  tags = merge(local.tags, { Extra = var.extra_tag })
}

resource "terraform_data" "flow_log" {
  input = {
    name   = "\${local.name}-flow-log"
    region = local.region
  }
}

resource "terraform_data" "static" {
  input = "static"
}
`,
    'variables.tf': `variable "base_tags" {
  type = map(string)
  default = {
    Team = "platform"
  }
}

variable "extra_tag" {
  type    = string
  default = "a"
}

variable "owner" {
  type    = string
  default = "ops"
}
`,
    'outputs.tf': `output "vpc_id" {
  value = module.vpc.vpc_id
}
`,
    'modules/vpc/main.tf': `variable "name" {}
variable "cidr" {}
variable "azs" {
  type = list(string)
}
variable "tags" {
  type    = map(string)
  default = {}
}

resource "terraform_data" "vpc" {
  input = {
    cidr = var.cidr
    tags = merge(
\t\t\tvar.tags,
\t\t\t{ Name = var.name },
\t\t)
  }
}

resource "terraform_data" "subnet" {
  count = length(var.azs)
  input = {
    az  = var.azs[count.index]
    vpc = terraform_data.vpc.id
  }
}

output "vpc_id" {
  value = terraform_data.vpc.id
}
`,
  };
}
