import test from 'ava';
import { ExportImageCommand } from '@aws-sdk/client-ec2';
import { startEmulator, type ExportDurationQuery } from '../../emulator';
import { prepareExportBench } from '../../bench/emulator-exports';
import { type CloudId } from '../../lib/model/cloud';
import { GOLDEN_AMI, startAwsKit } from './aws/aws-test-kit';

// `exportDurationMs` sets the length of each new export on every cloud; the phases stay the cloud's own.

const LENGTHS: Readonly<Record<CloudId, number>> = { aws: 90_000, alicloud: 125_000, jdcloud: 3_600_000 };

test('exportDurationMs sets the length of each export on every cloud, and is asked with the cloud\'s own length', async (t) => {
  let now = Date.UTC(2026, 0, 1);
  const queries: ExportDurationQuery[] = [];
  const emulator = await startEmulator({
    clock: { now: () => now },
    exportDurationMs: (query) => {
      queries.push(query);
      return LENGTHS[query.cloud as CloudId];
    },
  });
  t.teardown(() => emulator.stop());
  for (const cloud of ['aws', 'alicloud', 'jdcloud'] as const) {
    const bench = await prepareExportBench(emulator, cloud);
    const startedAt = now;
    const ref = await bench.driver.startExport(bench.spec('len'), `length-${cloud}`);
    const task = () => emulator.inspect().tasks.find((candidate) => candidate.id === ref.taskId);
    now = startedAt + LENGTHS[cloud] - 1;
    t.is(task()?.outcome, 'running', `${cloud}: still running just before its length`);
    t.true((task()?.progress ?? 0) > 90, `${cloud}: progress near the end follows the cloud's phases (${task()?.progress})`);
    now = startedAt + LENGTHS[cloud];
    t.is(task()?.outcome, 'succeeded', `${cloud}: done at its length`);
    now += 60_000;
  }
  t.deepEqual(
    queries.map((query) => query.cloud),
    ['aws', 'alicloud', 'jdcloud'],
  );
  t.like(queries[0], { cloud: 'aws', region: 'us-east-1', imageId: 'ami-0600d000000000001', defaultMs: 10 * 60_000 });
  t.like(queries[1], { cloud: 'alicloud', region: 'cn-hangzhou', imageId: 'm-g01den0hangzhou001' });
  t.like(queries[2], { cloud: 'jdcloud', region: 'cn-east-2', imageId: 'img-g01den0001' });
  for (const query of queries) t.true(query.defaultMs > 0);
});

test('rejects an export when exportDurationMs returns no usable length, and starts no task', async (t) => {
  const kit = await startAwsKit({ exportDurationMs: () => Number.NaN });
  t.teardown(() => kit.stop());
  await kit.createBucket('export-bucket');
  await kit.createVmimportRole('import-bucket', 'export-bucket');
  const error = await t.throwsAsync(
    kit.ec2.send(new ExportImageCommand({ ImageId: GOLDEN_AMI['us-east-1'], DiskImageFormat: 'VMDK', S3ExportLocation: { S3Bucket: 'export-bucket', S3Prefix: 'x/' } })),
  );
  t.is(error?.name, 'InternalError', 'a broken hook is an emulator fault, answered as EC2 answers a crash');
  t.deepEqual(kit.emulator.inspect().tasks, []);
});
