import test from 'ava';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { type EmulatorBanner } from '../../emulator/cli';

// Peer test: the AWS CLI (v1 locally, Debian's v2 on CI), unmodified, against `imageport emulator` started as a
// child process. Only the endpoint URL and the credentials change.

const run = promisify(execFile);
const repo = join(__dirname, '..', '..');
const workDir = mkdtempSync(join(tmpdir(), 'imageport-aws-cli-'));

let child: ChildProcess | undefined;
let banner: EmulatorBanner;

test.before(async () => {
  child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'bin', 'imageport.ts'), 'emulator', '--speed', '6000', '--state-dir', join(workDir, 'state')], {
    cwd: repo,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  banner = await new Promise<EmulatorBanner>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('imageport emulator printed no JSON line within 60 s')), 60_000);
    lines.once('line', (line) => {
      clearTimeout(timer);
      resolve(JSON.parse(line) as EmulatorBanner);
    });
    child!.once('exit', (code) => reject(new Error(`imageport emulator exited early with code ${String(code)}`)));
  });
});

test.after.always(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    const code = await exited;
    if (code !== 0) throw new Error(`imageport emulator exited with ${String(code)} after SIGTERM, expected 0`);
  }
  rmSync(workDir, { recursive: true, force: true });
});

async function aws(service: 'ec2' | 'iam' | 's3api' | 'sts', ...args: string[]): Promise<Record<string, unknown>> {
  const endpoint = { ec2: banner.endpoints.aws.ec2, iam: banner.endpoints.aws.iam, s3api: banner.endpoints.aws.s3, sts: banner.endpoints.aws.sts }[service];
  const { stdout } = await run('aws', [service, ...args, '--endpoint-url', endpoint, '--output', 'json'], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: workDir,
      AWS_ACCESS_KEY_ID: banner.credentials.aws.accessKeyId,
      AWS_SECRET_ACCESS_KEY: banner.credentials.aws.secretAccessKey,
      AWS_DEFAULT_REGION: banner.regions.aws.default,
      AWS_CONFIG_FILE: join(workDir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'no-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_PAGER: '',
    },
    timeout: 60_000,
  });
  return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>);
}

test.serial('aws cli: role, bucket, export-image, describe until completed, head-object finds the disk image', async (t) => {
  const trust = join(workDir, 'trust-policy.json');
  const rolePolicy = join(workDir, 'role-policy.json');
  writeFileSync(
    trust,
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Principal: { Service: 'vmie.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'sts:Externalid': 'vmimport' } } }],
    }),
  );
  writeFileSync(
    rolePolicy,
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket'], Resource: ['arn:aws:s3:::cli-import-bucket', 'arn:aws:s3:::cli-import-bucket/*'] },
        { Effect: 'Allow', Action: ['s3:GetBucketLocation', 's3:GetObject', 's3:ListBucket', 's3:PutObject', 's3:GetBucketAcl'], Resource: ['arn:aws:s3:::cli-export-bucket', 'arn:aws:s3:::cli-export-bucket/*'] },
        { Effect: 'Allow', Action: ['ec2:ModifySnapshotAttribute', 'ec2:CopySnapshot', 'ec2:RegisterImage', 'ec2:Describe*'], Resource: '*' },
      ],
    }),
  );
  const identity = await aws('sts', 'get-caller-identity');
  t.is(identity.Account, banner.accounts.aws);
  const role = (await aws('iam', 'create-role', '--role-name', 'vmimport', '--assume-role-policy-document', `file://${trust}`)) as { Role: { Arn: string } };
  t.is(role.Role.Arn, `arn:aws:iam::${banner.accounts.aws}:role/vmimport`);
  await aws('iam', 'put-role-policy', '--role-name', 'vmimport', '--policy-name', 'vmimport', '--policy-document', `file://${rolePolicy}`);
  await aws('s3api', 'create-bucket', '--bucket', 'cli-export-bucket');

  const started = (await aws(
    'ec2',
    'export-image',
    '--image-id',
    'ami-0600d000000000001',
    '--disk-image-format',
    'VMDK',
    '--s3-export-location',
    'S3Bucket=cli-export-bucket,S3Prefix=exports/',
  )) as { ExportImageTaskId: string; Status: string; StatusMessage: string };
  t.regex(started.ExportImageTaskId, /^export-ami-[0-9a-f]{17}$/);
  t.is(started.Status, 'active');
  t.is(started.StatusMessage, 'validating');

  let status = started.Status;
  for (let attempt = 0; attempt < 60 && status !== 'completed'; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const described = (await aws('ec2', 'describe-export-image-tasks', '--export-image-task-ids', started.ExportImageTaskId)) as { ExportImageTasks: Array<{ Status: string }> };
    status = described.ExportImageTasks[0].Status;
  }
  t.is(status, 'completed');
  const head = (await aws('s3api', 'head-object', '--bucket', 'cli-export-bucket', '--key', `exports/${started.ExportImageTaskId}.vmdk`)) as { ContentLength: number };
  t.true(head.ContentLength > 512);
});

test.serial('aws cli: put-object of a disk image, import-image until completed, describe-import-image-tasks --filters (Filters.N), describe-images', async (t) => {
  const disk = join(workDir, 'disk.raw');
  writeFileSync(disk, Buffer.concat([Buffer.from([0xeb, 0xfe]), Buffer.alloc(1024 * 1024 - 2)]));
  await aws('s3api', 'create-bucket', '--bucket', 'cli-import-bucket');
  await aws('s3api', 'put-object', '--bucket', 'cli-import-bucket', '--key', 'uploads/disk.raw', '--body', disk);
  const started = (await aws('ec2', 'import-image', '--disk-containers', 'Format=RAW,UserBucket={S3Bucket=cli-import-bucket,S3Key=uploads/disk.raw}')) as {
    ImportTaskId: string;
    Status: string;
    StatusMessage: string;
  };
  t.is(started.Status, 'active');
  t.is(started.StatusMessage, 'pending');
  let task: { Status: string; ImageId?: string } = { Status: 'active' };
  for (let attempt = 0; attempt < 60 && task.Status === 'active'; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    task = ((await aws('ec2', 'describe-import-image-tasks', '--import-task-ids', started.ImportTaskId)) as { ImportImageTasks: Array<{ Status: string; ImageId?: string }> }).ImportImageTasks[0];
  }
  t.is(task.Status, 'completed');
  const completed = (await aws('ec2', 'describe-import-image-tasks', '--filters', 'Name=task-state,Values=completed')) as { ImportImageTasks: Array<{ ImportTaskId: string }> };
  t.true(completed.ImportImageTasks.some((entry) => entry.ImportTaskId === started.ImportTaskId), 'the CLI sends Filters.N and the emulator filters on it');
  const images = (await aws('ec2', 'describe-images', '--image-ids', task.ImageId!)) as { Images: Array<{ State: string }> };
  t.is(images.Images[0].State, 'available');
});
