/**
 * Least privilege, asserted. Every IAM, RAM and JD Cloud policy document the project generates is collected:
 *
 * - the drivers' `roleDocuments` for each cloud and purpose, with several buckets;
 * - the CDK constructs' synthesized templates: the example stacks of `examples/cdk`, and a stack of imported
 *   buckets (by name) with an export to each, one with a DESTROY removal policy, and an import from a third;
 * - the Pulumi components' policy inputs under mocks (VmImportRole, the Alibaba service roles, the JD export
 *   role), and the example programs of `examples/pulumi`.
 *
 * Each Allow statement that can write objects (put, multipart, delete) must name specific buckets, never `*`, and
 * only export buckets; every bucket a statement names must be one the spec used; a statement on `*` must be one the
 * cloud's own guide requires, listed below with the guide's reason.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import test from 'ava';
import { ExportFormat, ImageExport, ImageImport, ImportDisk, ImportFormat, ImportPlatform, VmImportRole as CdkVmImportRole } from '../../constructs';
import { ExportAndImportStack } from '../../examples/cdk/export-and-import-stack';
import { LongExportStack } from '../../examples/cdk/long-export-stack';
import { createAlicloudDriver } from '../../lib/clouds/alicloud/driver';
import { createAwsDriver } from '../../lib/clouds/aws/driver';
import { createJdcloudDriver } from '../../lib/clouds/jdcloud/driver';
import { type ServiceRoleSpec } from '../../lib/model/role-spec';
import { ImageExportRole as AlicloudExportRole, ImageImportRole as AlicloudImportRole } from '../../pulumi/alicloud';
import { VmImportRole as PulumiVmImportRole } from '../../pulumi/aws/vm-import-role';
import { ImageExportRole as JdExportRole } from '../../pulumi/jdcloud/image-export-role';
import { loadExample } from '../support/pulumi-example-stack';
import { runUnderMocks, type RegisteredResource } from '../support/pulumi-mock-program';
import { auditPolicy, isObjectWrite, wildcardStatements, type PolicyFinding, type PolicySource, type WildcardAllowance } from './policy-audit';

/**
 * Statements the clouds' own guides require on `*`. Nothing else may grant on `*`, and no object write ever does.
 */
const WILDCARD_ALLOWANCES: readonly WildcardAllowance[] = [
  {
    cloud: 'aws',
    actions: ['ec2:ModifySnapshotAttribute', 'ec2:CopySnapshot', 'ec2:RegisterImage', 'ec2:Describe*'],
    reason:
      'VM Import/Export user guide, "Required service role" (vmimport): its permissions policy grants these EC2 actions on "Resource": "*"; ' +
      'the snapshots and AMIs the service creates do not exist when the role is written',
  },
  {
    cloud: 'aws',
    actions: [
      'ec2:ExportImage',
      'ec2:DescribeExportImageTasks',
      'ec2:CancelExportTask',
      'ec2:ImportImage',
      'ec2:DescribeImportImageTasks',
      'ec2:CancelImportTask',
      'ec2:DescribeImages',
      'ec2:DescribeSnapshots',
    ],
    reason:
      'VM Import/Export user guide, "Required permissions for VM Import/Export": the caller\'s policy grants the task actions on "Resource": "*" ' +
      '(Describe* actions support no resource-level permissions at all; the tasks are created by the call)',
  },
  {
    cloud: 'aws',
    actions: ['ec2:CreateTags'],
    reason:
      'EC2 user guide, "Grant permission to tag resources during creation": tags on a task that does not exist yet, limited by the ' +
      'ec2:CreateAction condition to ExportImage and ImportImage',
  },
  {
    cloud: 'aws',
    actions: [
      'logs:CreateLogDelivery',
      'logs:GetLogDelivery',
      'logs:UpdateLogDelivery',
      'logs:DeleteLogDelivery',
      'logs:ListLogDeliveries',
      'logs:PutResourcePolicy',
      'logs:DescribeResourcePolicies',
      'logs:DescribeLogGroups',
      'xray:PutTraceSegments',
      'xray:PutTelemetryRecords',
      'xray:GetSamplingRules',
      'xray:GetSamplingTargets',
    ],
    reason:
      'Step Functions developer guide, "IAM policies for logging to CloudWatch Logs" and "IAM policies for X-Ray": the log-delivery and ' +
      'trace APIs support no resource-level permissions, so the poller state machine\'s role (written by aws-cdk-lib) has them on "*"',
  },
  {
    cloud: 'jdcloud',
    actions: ['oss:ListAllMyBuckets'],
    reason: 'JD Cloud export guide, service-role policy: oss:ListAllMyBuckets on "*" (listing buckets has no bucket resource)',
  },
];

/** The audit of one document, collected with its source. */
interface Audited {
  readonly source: PolicySource;
  readonly findings: PolicyFinding[];
  readonly wildcards: string[][];
  readonly writes: number;
}

function audit(document: unknown, source: PolicySource): Audited {
  const statements = ((document as { Statement?: unknown[] })?.Statement ?? []) as { Effect?: string; Action?: unknown }[];
  const writes = statements.filter((s) => s.Effect === 'Allow' && [s.Action].flat().map(String).some(isObjectWrite)).length;
  return { source, findings: auditPolicy(document, source, WILDCARD_ALLOWANCES), wildcards: wildcardStatements(document), writes };
}

function describe(findings: readonly PolicyFinding[]): string {
  return findings.map((f) => `${f.source}, statement ${f.statement}: ${f.problem}`).join('\n');
}

// --- the audit itself must catch what it is for ------------------------------------------------------------------

test('the audit rejects an object write on "*", on a bucket wildcard, on a bucket the spec did not use, and an unlisted "*"', (t) => {
  const source: PolicySource = { label: 'probe', cloud: 'aws', specBuckets: ['exports', 'uploads'], writeBuckets: ['exports'] };
  const findings = auditPolicy(
    {
      Statement: [
        { Effect: 'Allow', Action: ['s3:PutObject'], Resource: '*' },
        { Effect: 'Allow', Action: 's3:DeleteObject', Resource: 'arn:aws:s3:::export*/*' },
        { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::someone-elses/*' },
        { Effect: 'Allow', Action: 's3:AbortMultipartUpload', Resource: 'arn:aws:s3:::uploads/*' },
        { Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' },
        { Effect: 'Allow', Action: 'oss:*', Resource: 'acs:oss:*:*:exports/*' },
        { Effect: 'Deny', Action: 's3:*', Resource: '*' },
      ],
    },
    source,
    WILDCARD_ALLOWANCES,
  );
  t.deepEqual(
    findings.map((f) => [f.statement, f.problem.replace(/ \(.*$/, '')]),
    [
      [0, 'allows s3:PutObject on every bucket'],
      [0, 'allows s3:PutObject on "*", which no guide requires'],
      [1, 'allows s3:DeleteObject on every bucket'],
      [2, 'names bucket someone-elses, which the spec did not use'],
      [3, 'allows s3:AbortMultipartUpload on bucket uploads, which is not an export bucket of the spec'],
      [4, 'allows iam:PassRole on "*", which no guide requires'],
    ],
  );
  t.deepEqual(
    auditPolicy({ Statement: [{ Effect: 'Allow', Action: 's3:PutObject', Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': ['Other', 'Arn'] }, '/*']] } }] }, { ...source, specBuckets: ['logical:Mine'], writeBuckets: ['logical:Mine'], bucketLogicalIds: ['Mine', 'Other'] }, []).length,
    2,
    'a CloudFormation bucket reference is read too',
  );
});

// --- the drivers' role documents ------------------------------------------------------------------------------------

const connection = (region: string) => ({ region, credentials: { accessKeyId: 'unused', secretAccessKey: 'unused' } });

test('driver role documents: object writes only on the export buckets named, reads only on buckets named, "*" only as the guides say', (t) => {
  const results: Audited[] = [];
  const exportBuckets = ['exports-a', 'exports-b'];
  const importBuckets = ['uploads-c', 'uploads-d', 'exports-a'];

  const aws = createAwsDriver(connection('us-east-1'));
  for (const purpose of ['export', 'import', 'both'] as const) {
    const spec: ServiceRoleSpec = { cloud: 'aws', purpose, exportBuckets, importBuckets, kmsKeyArns: ['arn:aws:kms:us-east-1:111122223333:key/k'], accountId: '111122223333' };
    const documents = aws.roleDocuments(spec);
    const used = [...(purpose !== 'import' ? exportBuckets : []), ...(purpose !== 'export' ? importBuckets : [])];
    for (const policy of documents.policies) {
      results.push(audit(policy.document, { label: `aws driver (${purpose}) ${policy.name}`, cloud: 'aws', specBuckets: used, writeBuckets: purpose === 'import' ? [] : exportBuckets }));
    }
    t.deepEqual(documents.systemPolicies ?? [], []);
  }

  const alicloud = createAlicloudDriver(connection('cn-hangzhou'));
  for (const purpose of ['export', 'import'] as const) {
    const buckets = purpose === 'export' ? exportBuckets : importBuckets;
    const spec: ServiceRoleSpec = { cloud: 'alicloud', purpose, policyMode: 'scoped', ...(purpose === 'export' ? { exportBuckets } : { importBuckets }) };
    const documents = alicloud.roleDocuments(spec);
    t.is(documents.policies.length, 1, 'scoped mode creates one custom policy');
    t.deepEqual(documents.systemPolicies, [], 'scoped mode attaches no system policy');
    for (const policy of documents.policies) {
      results.push(audit(policy.document, { label: `alicloud driver (${purpose}, scoped) ${policy.name}`, cloud: 'alicloud', specBuckets: buckets, writeBuckets: purpose === 'export' ? exportBuckets : [] }));
    }
    // The default, `system`, attaches Alibaba's own AliyunECSImageExportRolePolicy / AliyunECSImageImportRolePolicy: a policy
    // Alibaba Cloud writes and maintains, which imageport does not generate (so there is no document of ours to audit).
    const system = alicloud.roleDocuments({ cloud: 'alicloud', purpose, ...(purpose === 'export' ? { exportBuckets } : { importBuckets }) });
    t.deepEqual(system.policies, [], 'system mode generates no policy document');
    t.deepEqual(system.systemPolicies, [purpose === 'export' ? 'AliyunECSImageExportRolePolicy' : 'AliyunECSImageImportRolePolicy']);
  }

  const jd = createJdcloudDriver(connection('cn-east-2'));
  for (const accountId of ['324100000385', undefined]) {
    const documents = jd.roleDocuments({ cloud: 'jdcloud', purpose: 'export', exportBuckets, ...(accountId ? { accountId } : {}) });
    for (const policy of documents.policies) {
      results.push(audit(policy.document, { label: `jdcloud driver (account ${accountId ?? 'unknown'}) ${policy.name}`, cloud: 'jdcloud', specBuckets: exportBuckets, writeBuckets: exportBuckets }));
    }
  }

  const findings = results.flatMap((r) => r.findings);
  t.deepEqual(findings, [], describe(findings));
  t.true(results.filter((r) => r.source.cloud === 'aws' && !r.source.label.includes('(import)')).every((r) => r.writes > 0), 'every AWS export policy does grant a write');
  t.true(results.filter((r) => r.source.cloud === 'alicloud' && r.source.label.includes('(export')).every((r) => r.writes > 0));
  t.true(results.filter((r) => r.source.cloud === 'jdcloud').every((r) => r.writes > 0));
  t.deepEqual(
    [...new Set(results.flatMap((r) => r.wildcards.map((actions) => `${r.source.cloud}: ${actions.join(', ')}`)))].sort(),
    ['aws: ec2:ModifySnapshotAttribute, ec2:CopySnapshot, ec2:RegisterImage, ec2:Describe*', 'jdcloud: oss:ListAllMyBuckets'],
    'the only statements on "*" are the guides\' own',
  );
});

// --- CDK ------------------------------------------------------------------------------------------------------------

/** Every IAM policy document of a synthesized template, with the bucket resources the template declares. */
function templatePolicies(template: { Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }> }) {
  const resources = Object.entries(template.Resources ?? {});
  const documents: { id: string; document: unknown }[] = [];
  for (const [id, resource] of resources) {
    const properties = resource.Properties ?? {};
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') documents.push({ id, document: properties.PolicyDocument });
    if (resource.Type === 'AWS::IAM::Role') {
      for (const inline of (properties.Policies as { PolicyName: string; PolicyDocument: unknown }[] | undefined) ?? []) documents.push({ id: `${id}/${inline.PolicyName}`, document: inline.PolicyDocument });
    }
    if (resource.Type === 'AWS::S3::BucketPolicy') documents.push({ id, document: properties.PolicyDocument });
  }
  return { documents, bucketIds: resources.filter(([, r]) => r.Type === 'AWS::S3::Bucket').map(([id]) => id) };
}

test('CDK: synthesized role and handler policies write only to the stack\'s export buckets', (t) => {
  const outdir = mkdtempSync(join(tmpdir(), 'imageport-security-cdk-'));
  t.teardown(() => rmSync(outdir, { recursive: true, force: true }));
  const app = new App({ outdir });
  new ExportAndImportStack(app, 'ExportAndImport', { goldenImageId: 'ami-0123456789abcdef0' });
  new LongExportStack(app, 'LongExport', { imageId: 'ami-0123456789abcdef0' });

  // Imported buckets, by name: two export destinations (one export DESTROYs its files, so its handler may delete
  // them) and an upload bucket an import reads from, all on one role.
  const imported = new Stack(app, 'ImportedBuckets', { env: { account: '111122223333', region: 'eu-west-1' } });
  const exportsA = s3.Bucket.fromBucketName(imported, 'ExportsA', 'acme-exports-a');
  const exportsB = s3.Bucket.fromBucketName(imported, 'ExportsB', 'acme-exports-b');
  const uploads = s3.Bucket.fromBucketName(imported, 'Uploads', 'acme-uploads');
  const role = new CdkVmImportRole(imported, 'Role', { roleName: 'imageport-security' });
  new ImageExport(imported, 'ToA', { image: 'ami-0123456789abcdef0', format: ExportFormat.VMDK, bucket: exportsA, prefix: 'a/', role });
  new ImageExport(imported, 'ToB', { image: 'ami-0123456789abcdef1', format: ExportFormat.RAW, bucket: exportsB, prefix: 'b/', role, removalPolicy: RemovalPolicy.DESTROY });
  new ImageImport(imported, 'FromUploads', { disks: [ImportDisk.fromBucket(uploads, 'disks/golden.vmdk')], format: ImportFormat.VMDK, platform: ImportPlatform.LINUX, role });

  const assembly = app.synth();
  const results: Audited[] = [];
  const expectedBuckets: Record<string, { spec: string[]; write: string[] }> = {
    ExportAndImport: { spec: ['logical:Exports25637AFB', 'logical:AccessLogs8B620ECA'], write: ['logical:Exports25637AFB'] },
    LongExport: { spec: ['logical:Exports25637AFB', 'logical:AccessLogs8B620ECA'], write: ['logical:Exports25637AFB'] },
    ImportedBuckets: { spec: ['acme-exports-a', 'acme-exports-b', 'acme-uploads'], write: ['acme-exports-a', 'acme-exports-b'] },
  };
  for (const stack of assembly.stacks) {
    const { documents, bucketIds } = templatePolicies(stack.template as never);
    const expected = expectedBuckets[stack.stackName];
    t.truthy(expected, `unexpected stack ${stack.stackName}`);
    // The logical ids are the stacks' own bucket resources: nothing else could be a bucket of the spec.
    for (const bucket of expected.spec.filter((b) => b.startsWith('logical:'))) t.true(bucketIds.includes(bucket.slice('logical:'.length)), `${stack.stackName} declares ${bucket}`);
    for (const { id, document } of documents) {
      results.push(audit(document, { label: `CDK ${stack.stackName} ${id}`, cloud: 'aws', specBuckets: expected.spec, writeBuckets: expected.write, bucketLogicalIds: bucketIds }));
    }
  }
  const findings = results.flatMap((r) => r.findings);
  t.deepEqual(findings, [], describe(findings));
  t.true(results.some((r) => r.source.label.startsWith('CDK ImportedBuckets') && r.writes > 0), 'the imported-bucket stack grants writes (so the check ran on them)');
  // The DESTROY export's handler may delete its files: that delete is an object write the audit saw and accepted.
  t.true(JSON.stringify(assembly.getStackByName('ImportedBuckets').template).includes('"s3:DeleteObject"'), 'the DESTROY export grants a delete');
});

// --- Pulumi ----------------------------------------------------------------------------------------------------------

/** The policy documents a mock run registered: AWS role policies and bucket policies, RAM policies, JD policies. */
function pulumiPolicies(resources: readonly RegisteredResource[]): { resource: RegisteredResource; document: unknown; cloud: 'aws' | 'alicloud' | 'jdcloud' }[] {
  const found: { resource: RegisteredResource; document: unknown; cloud: 'aws' | 'alicloud' | 'jdcloud' }[] = [];
  const parse = (text: unknown) => (typeof text === 'string' ? (JSON.parse(text) as unknown) : text);
  for (const resource of resources) {
    if (resource.type === 'aws:iam/rolePolicy:RolePolicy' || resource.type === 'aws:iam/policy:Policy' || resource.type === 'aws:s3/bucketPolicy:BucketPolicy') {
      found.push({ resource, document: parse(resource.inputs.policy), cloud: 'aws' });
    }
    if (resource.type === 'aws:iam/role:Role' && Array.isArray(resource.inputs.inlinePolicies)) {
      for (const inline of resource.inputs.inlinePolicies as { policy?: string }[]) found.push({ resource, document: parse(inline.policy), cloud: 'aws' });
    }
    if (resource.type === 'alicloud:ram/policy:Policy') found.push({ resource, document: parse(resource.inputs.policyDocument ?? resource.inputs.document), cloud: 'alicloud' });
    if (resource.type === 'pulumi-nodejs:dynamic/imageport/jdcloud:Policy') found.push({ resource, document: parse(resource.inputs.document), cloud: 'jdcloud' });
  }
  return found;
}

test.serial('Pulumi components: the policy inputs write only to the export buckets given', async (t) => {
  const exportBuckets = ['pulumi-exports-a', 'pulumi-exports-b'];
  const importBuckets = ['pulumi-uploads-c'];
  const run = await runUnderMocks(() => {
    new PulumiVmImportRole('vmimport', { exportBuckets, importBuckets, accountId: '111122223333' });
    new AlicloudExportRole('ali-export', { policyMode: 'scoped', buckets: exportBuckets });
    new AlicloudImportRole('ali-import', { policyMode: 'scoped', buckets: importBuckets });
    new AlicloudExportRole('ali-export-system', { roleName: 'AliyunECSImageExportDefaultRole-system' });
    new JdExportRole('jd-export', { exportBuckets, accountId: '324100000385' });
  });
  const policies = pulumiPolicies(run.resources);
  t.deepEqual(policies.map((p) => p.cloud).sort(), ['alicloud', 'alicloud', 'aws', 'jdcloud'], 'one policy per role, none for the system-mode role');
  const results = policies.map(({ resource, document, cloud }) => {
    const isImport = resource.name.startsWith('ali-import');
    const spec = cloud === 'aws' ? [...exportBuckets, ...importBuckets] : isImport ? importBuckets : exportBuckets;
    return audit(document, { label: `Pulumi ${resource.type} ${resource.name}`, cloud, specBuckets: spec, writeBuckets: isImport ? [] : exportBuckets });
  });
  const findings = results.flatMap((r) => r.findings);
  t.deepEqual(findings, [], describe(findings));
  // The system-mode role attaches Alibaba's own policy by name: not generated by imageport, nothing to audit.
  const attachments = run.resources.filter((r) => r.type === 'alicloud:ram/rolePolicyAttachment:RolePolicyAttachment');
  t.true(attachments.some((a) => a.inputs.policyName === 'AliyunECSImageExportRolePolicy' && a.inputs.policyType === 'System'), JSON.stringify(attachments.map((a) => a.inputs)));
  t.true(results.filter((r) => !r.source.label.includes('ali-import')).every((r) => r.writes > 0));
});

test.serial('Pulumi examples: every policy the example programs register is scoped to the buckets they declare', async (t) => {
  const results: Audited[] = [];
  for (const name of ['aws', 'alicloud', 'jdcloud', 'all-clouds']) {
    const example = loadExample(name);
    const run = await runUnderMocks(example.program, { project: example.project, stack: 'local', config: example.config });
    const declared = run.resources
      .filter((r) => ['aws:s3/bucket:Bucket', 'aws:s3/bucketV2:BucketV2', 'alicloud:oss/bucket:Bucket', 'pulumi-nodejs:dynamic/imageport/jdcloud:Bucket'].includes(r.type))
      .map((r) => String(r.inputs.bucket ?? r.inputs.bucketName ?? r.inputs.name));
    t.true(declared.length > 0, `${name} declares its buckets`);
    for (const { resource, document, cloud } of pulumiPolicies(run.resources)) {
      results.push(audit(document, { label: `Pulumi example ${name} ${resource.type} ${resource.name}`, cloud, specBuckets: declared, writeBuckets: declared }));
    }
  }
  t.true(results.length > 0);
  const findings = results.flatMap((r) => r.findings);
  t.deepEqual(findings, [], describe(findings));
});
