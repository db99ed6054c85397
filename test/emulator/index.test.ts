import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeExportImageTasksCommand, DescribeImagesCommand, ExportImageCommand } from '@aws-sdk/client-ec2';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import { GetBucketLocationCommand, GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { startEmulator } from '../../emulator';
import { mulberry32 } from '../../emulator/core/fault-injector';
import { GOLDEN_AMI, ManualClock, rejection, startAwsKit, type AwsKit } from './aws/aws-test-kit';

const MINUTE = 60_000;
const exportInput = { ImageId: GOLDEN_AMI['us-east-1'], DiskImageFormat: 'VMDK' as const, S3ExportLocation: { S3Bucket: 'export-bucket', S3Prefix: 'x/' } };

async function readyKit(options: Parameters<typeof startAwsKit>[0] = {}, clientOptions: Parameters<typeof startAwsKit>[1] = {}): Promise<AwsKit> {
  const kit = await startAwsKit(options, clientOptions);
  await kit.createBucket('export-bucket');
  await kit.createVmimportRole('import-bucket', 'export-bucket');
  return kit;
}

test('startEmulator: reports endpoints, regions, account, credentials and an env map for the AWS SDKs and CLI', async (t) => {
  const emulator = await startEmulator();
  t.teardown(() => emulator.stop());
  const { aws } = emulator.endpoints;
  for (const url of [aws.ec2, aws.iam, aws.s3, aws.sts, emulator.endpoints.control]) t.regex(url, /^http:\/\/127\.0\.0\.1:\d+$/);
  t.is(new Set([aws.ec2, aws.iam, aws.s3, aws.sts]).size, 4, 'one port per service');
  t.deepEqual(emulator.regions.aws, { default: 'us-east-1', all: ['us-east-1', 'eu-west-1'] });
  t.regex(emulator.accounts.aws, /^\d{12}$/);
  t.like(emulator.env, {
    AWS_ENDPOINT_URL_EC2: aws.ec2,
    AWS_ENDPOINT_URL_IAM: aws.iam,
    AWS_ENDPOINT_URL_S3: aws.s3,
    AWS_ENDPOINT_URL_STS: aws.sts,
    AWS_ACCESS_KEY_ID: emulator.credentials.aws.accessKeyId,
    AWS_SECRET_ACCESS_KEY: emulator.credentials.aws.secretAccessKey,
    AWS_REGION: 'us-east-1',
  });
});

test('rejects a speed that is not a positive number, naming the value', async (t) => {
  const error = await rejection(startEmulator({ speed: 0 }));
  t.regex(error.message, /speed must be a positive number.*got 0/);
});

test('startEmulator: in real-time mode a task completes by itself at the given speed (the export lands without polling)', async (t) => {
  const kit = await readyKit({ speed: 60_000, clock: undefined });
  t.teardown(() => kit.stop());
  const emulator = kit.emulator;
  const { ExportImageTaskId: id } = await kit.ec2.send(new ExportImageCommand(exportInput));
  // 10 emulated minutes at 60000x are 10 real ms; wait (bounded) for the settle timer to write the object.
  const deadline = Date.now() + 10_000;
  let landed = false;
  while (!landed && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    landed = emulator.inspect().buckets[0]?.objects.some((object) => object.key === `x/${id}.vmdk`) ?? false;
  }
  t.true(landed);
  t.is(emulator.inspect().tasks[0].rawStatus, 'completed');
});

test('faults: throttle answers RequestLimitExceeded (503), which the SDK retries', async (t) => {
  const kit = await readyKit({}, { maxAttempts: 2 });
  t.teardown(() => kit.stop());
  kit.emulator.faults.set({ rate: 1, kinds: ['throttle'], services: ['ec2'], seed: 7 });
  const error = await rejection(kit.ec2.send(new DescribeImagesCommand({})));
  t.is(error.name, 'RequestLimitExceeded');
  t.is(error.$metadata?.httpStatusCode, 503);
  t.is((error.$metadata as { attempts?: number }).attempts, 2, 'the SDK treats it as throttling and retries');
  kit.emulator.faults.clear();
  t.truthy((await kit.ec2.send(new DescribeImagesCommand({}))).Images);
});

test('faults: 5xx answers InternalError (500); filters by service leave other services alone', async (t) => {
  const kit = await readyKit();
  t.teardown(() => kit.stop());
  kit.emulator.faults.set({ rate: 1, kinds: ['5xx'], services: ['ec2'], clouds: ['aws'] });
  const error = await rejection(kit.ec2.send(new DescribeImagesCommand({})));
  t.is(error.name, 'InternalError');
  t.is(error.$metadata?.httpStatusCode, 500);
  t.truthy((await kit.iam.send(new GetRoleCommand({ RoleName: 'vmimport' }))).Role, 'IAM is not affected');
  kit.emulator.faults.set({ rate: 1, kinds: ['5xx'], clouds: ['alicloud'] });
  t.truthy((await kit.ec2.send(new DescribeImagesCommand({}))).Images, 'faults for another cloud do not apply');
});

test('faults: drop destroys the connection before the request is handled', async (t) => {
  const kit = await readyKit();
  t.teardown(() => kit.stop());
  kit.emulator.faults.set({ rate: 1, kinds: ['drop'], services: ['ec2'] });
  const error = await rejection(kit.ec2.send(new ExportImageCommand(exportInput)));
  t.regex(`${error.name} ${error.message} ${String((error as { code?: string }).code)}`, /ECONNRESET|socket hang up|ECONNREFUSED|EPIPE/);
  t.is(kit.emulator.inspect().tasks.length, 0, 'nothing was created');
});

test('faults: drop-after creates the task, loses the answer, and the SDK retry with the same ClientToken gets the same task', async (t) => {
  // Find a seed whose first ec2 request draws the fault and whose second does not (two draws per hit, one per miss).
  const seed = [...Array(1000).keys()].find((candidate) => {
    const random = mulberry32(candidate);
    const hit = random() < 0.5;
    random(); // kind
    return hit && random() >= 0.5;
  })!;
  const kit = await readyKit({}, { maxAttempts: 3 });
  t.teardown(() => kit.stop());
  kit.emulator.faults.set({ rate: 0.5, kinds: ['drop-after'], services: ['ec2'], seed });
  const answer = await kit.ec2.send(new ExportImageCommand(exportInput));
  t.is((answer.$metadata as { attempts?: number }).attempts, 2, 'the first answer was lost');
  const tasks = kit.emulator.inspect().tasks;
  t.is(tasks.length, 1, 'the retry found the task the first attempt created');
  t.is(tasks[0].id, answer.ExportImageTaskId!);
});

test('faults: slow-task multiplies the duration by five', async (t) => {
  const kit = await readyKit();
  t.teardown(() => kit.stop());
  kit.emulator.faults.set({ rate: 1, kinds: ['slow-task'], services: ['ec2'] });
  const { ExportImageTaskId: id } = await kit.ec2.send(new ExportImageCommand(exportInput));
  kit.emulator.faults.clear();
  const status = async () => (await kit.ec2.send(new DescribeExportImageTasksCommand({ ExportImageTaskIds: [id!] }))).ExportImageTasks![0].Status;
  kit.clock.advance(30 * MINUTE); // a normal export of this AMI takes 10 minutes
  t.is(await status(), 'active');
  kit.clock.advance(30 * MINUTE);
  t.is(await status(), 'completed');
});

test('faults: fail-task ends the task deleted with a ClientError message and leaves no object', async (t) => {
  const kit = await readyKit();
  t.teardown(() => kit.stop());
  kit.emulator.faults.set({ rate: 1, kinds: ['fail-task'], services: ['ec2'] });
  const { ExportImageTaskId: id } = await kit.ec2.send(new ExportImageCommand(exportInput));
  kit.emulator.faults.clear();
  kit.clock.advance(60 * MINUTE);
  const task = (await kit.ec2.send(new DescribeExportImageTasksCommand({ ExportImageTaskIds: [id!] }))).ExportImageTasks![0];
  t.is(task.Status, 'deleted');
  t.regex(task.StatusMessage ?? '', /^ClientError: /);
  t.is(kit.emulator.inspect().tasks[0].outcome, 'failed');
  t.deepEqual(kit.emulator.inspect().buckets[0].objects, []);
});

test('rejects invalid fault settings, naming every bad field', (t) => {
  return startEmulator().then(async (emulator) => {
    t.teardown(() => emulator.stop());
    const message = t.throws(() => emulator.faults.set({ rate: 2, kinds: ['explode' as 'drop'], seed: 1.5 }))?.message ?? '';
    t.regex(message, /rate: 2 must be a number from 0 to 1/);
    t.regex(message, /kinds\[0\]: "explode" is not one of/);
    t.regex(message, /seed: 1\.5 must be an integer/);
    t.is(emulator.faults.settings, undefined);
  });
});

test('persistence: with a state folder, roles, buckets, objects and tasks survive a restart and tasks keep progressing', async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'imageport-emulator-test-'));
  t.teardown(() => rmSync(stateDir, { recursive: true, force: true }));
  const clock = new ManualClock();
  const first = await readyKit({ stateDir, clock });
  await first.s3.send(new PutObjectCommand({ Bucket: 'export-bucket', Key: 'kept.txt', Body: 'still here' }));
  await first.createBucket('eu-bucket', 'eu-west-1');
  const { ExportImageTaskId: id } = await first.ec2.send(new ExportImageCommand({ ...exportInput, ClientToken: 'persisted-token' }));
  clock.advance(2 * MINUTE);
  await first.stop();

  const second = await startAwsKit({ stateDir, clock });
  t.teardown(() => second.stop());
  t.truthy((await second.iam.send(new GetRoleCommand({ RoleName: 'vmimport' }))).Role);
  t.is((await second.s3.send(new GetBucketLocationCommand({ Bucket: 'eu-bucket' }))).LocationConstraint, 'eu-west-1');
  t.is(await (await second.s3.send(new GetObjectCommand({ Bucket: 'export-bucket', Key: 'kept.txt' }))).Body!.transformToString(), 'still here');
  const task = (await second.ec2.send(new DescribeExportImageTasksCommand({ ExportImageTaskIds: [id!] }))).ExportImageTasks![0];
  t.is(task.StatusMessage, 'converting');
  const replay = await second.ec2.send(new ExportImageCommand({ ...exportInput, ClientToken: 'persisted-token' }));
  t.is(replay.ExportImageTaskId, id, 'client tokens persist too');
  clock.advance(30 * MINUTE);
  t.is((await second.ec2.send(new DescribeExportImageTasksCommand({ ExportImageTaskIds: [id!] }))).ExportImageTasks![0].Status, 'completed');
  const object = await second.s3.send(new GetObjectCommand({ Bucket: 'export-bucket', Key: `x/${id}.vmdk`, Range: 'bytes=0-3' }));
  t.is(await object.Body!.transformToString(), 'KDMV');
});

test('persistence: the scaled clock resumes from the saved emulated time instead of jumping', async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'imageport-emulator-test-'));
  t.teardown(() => rmSync(stateDir, { recursive: true, force: true }));
  const first = await startEmulator({ stateDir, speed: 1000 });
  const before = Date.parse(first.inspect().emulatedNow);
  await first.stop();
  const second = await startEmulator({ stateDir, speed: 1 });
  t.teardown(() => second.stop());
  const after = Date.parse(second.inspect().emulatedNow);
  t.true(after >= before, 'emulated time never goes backwards across a restart');
});

test('rejects a second emulator on a state folder that is in use', async (t) => {
  const stateDir = mkdtempSync(join(tmpdir(), 'imageport-emulator-test-'));
  t.teardown(() => rmSync(stateDir, { recursive: true, force: true }));
  const first = await startEmulator({ stateDir });
  t.teardown(() => first.stop());
  const error = await rejection(startEmulator({ stateDir }));
  t.regex(error.message, /is in use by another emulator/);
});

test('startEmulator: stop() removes a temporary state folder and is idempotent', async (t) => {
  const emulator = await startEmulator();
  const { existsSync } = await import('node:fs');
  t.true(existsSync(emulator.stateDir));
  await Promise.all([emulator.stop(), emulator.stop()]);
  t.false(existsSync(emulator.stateDir));
});
