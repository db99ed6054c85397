import test from 'ava';
import { createHash } from 'node:crypto';
import { CloudError } from '../../../lib/model/cloud-error';
import { SpecValidationError } from '../../../lib/model/validation-issue';
import { type ObjectStorage } from '../../../lib/storage/object-storage';
import { verifyArtifact } from '../../../lib/storage/verify-artifact';
import {
  buildDynamicVhd,
  buildFixedVhd,
  buildQcow2,
  buildRawDisk,
  buildRawTarGz,
  buildVmdk,
} from './formats/image-builders';
import { type S3rverFixture, startS3rver } from './s3rver-fixture';

const BUCKET = 'verify-bucket';
let s3rver: S3rverFixture;

test.before(async () => {
  s3rver = await startS3rver();
  await s3rver.storage().createBucket(BUCKET);
});

test.after.always(async () => {
  await s3rver?.close();
});

/** Wraps a storage and records every read, to prove that only ranges are read. */
function recording(storage: ObjectStorage, streaming = true) {
  const ranges: [number, number][] = [];
  let streams = 0;
  const wrapped: ObjectStorage & { readStream?: unknown } = {
    ...storage,
    head: (b, k) => storage.head(b, k),
    readRange: (b, k, start, end) => {
      ranges.push([start, end]);
      return storage.readRange(b, k, start, end);
    },
  };
  const streamingStorage = storage as ObjectStorage & { readStream?: (b: string, k: string) => Promise<NodeJS.ReadableStream> };
  if (streaming && streamingStorage.readStream) {
    wrapped.readStream = (b: string, k: string) => {
      streams++;
      return (streamingStorage.readStream as (b: string, k: string) => Promise<NodeJS.ReadableStream>)(b, k);
    };
  } else {
    delete wrapped.readStream;
  }
  return { storage: wrapped, ranges, streams: () => streams };
}

const put = (key: string, body: Buffer) => s3rver.storage().put(BUCKET, key, body);

test.serial('verifies a good image with ranged reads only', async (t) => {
  const image = Buffer.concat([buildQcow2({ sizeBytes: 5 * 1024 ** 3 }), Buffer.alloc(3 * 1024 * 1024)]);
  await put('exports/good.qcow2', image);
  const { storage, ranges } = recording(s3rver.storage());
  const report = await verifyArtifact(storage, { bucket: BUCKET, key: 'exports/good.qcow2', format: 'qcow2' }, {
    minVirtualSizeBytes: 1024 ** 3,
    sizeBytes: image.length,
  });
  t.like(report, {
    exists: true,
    ok: true,
    format: 'qcow2',
    variant: 'v3',
    sizeBytes: image.length,
    virtualSizeBytes: 5 * 1024 ** 3,
    problems: [],
    bytesRead: 65_536,
  });
  t.deepEqual(ranges, [[0, 65_535]]);
});

test.serial('reads the last 512 bytes to recognise a fixed VHD', async (t) => {
  const image = buildFixedVhd(buildRawDisk(2 * 1024 * 1024));
  await put('exports/fixed.vhd', image);
  const { storage, ranges } = recording(s3rver.storage());
  const report = await verifyArtifact(storage, { bucket: BUCKET, key: 'exports/fixed.vhd' }, { format: 'VHD' });
  t.like(report, { ok: true, format: 'vhd', variant: 'fixed', virtualSizeBytes: 2 * 1024 * 1024 });
  t.deepEqual(ranges, [
    [0, 65_535],
    [image.length - 512, image.length - 1],
  ]);
});

test.serial('reports a missing object', async (t) => {
  const report = await verifyArtifact(s3rver.storage(), { bucket: BUCKET, key: 'nope.vmdk' }, { format: 'vmdk' });
  t.like(report, { exists: false, ok: false, bytesRead: 0 });
  t.deepEqual(report.problems.map((p) => p.code), ['missing']);
});

test.serial('reports an empty object', async (t) => {
  await put('exports/empty.raw', Buffer.alloc(0));
  const report = await verifyArtifact(s3rver.storage(), { bucket: BUCKET, key: 'exports/empty.raw' });
  t.like(report, { exists: true, ok: false, sizeBytes: 0, bytesRead: 0 });
  t.deepEqual(report.problems.map((p) => p.code), ['empty']);
});

test.serial('reports a truncated image', async (t) => {
  const image = buildDynamicVhd();
  await put('exports/cut.vhd', image.subarray(0, image.length - 300));
  const report = await verifyArtifact(s3rver.storage(), { bucket: BUCKET, key: 'exports/cut.vhd' }, { format: 'vhd' });
  t.false(report.ok);
  t.true(report.problems.some((p) => p.code === 'truncated'));
});

test.serial('reports a format mismatch, and bad magic when the header reads as raw data', async (t) => {
  await put('exports/actually.vmdk', buildVmdk());
  const mismatch = await verifyArtifact(s3rver.storage(), { bucket: BUCKET, key: 'exports/actually.vmdk' }, { format: 'qcow2' });
  t.like(mismatch, { ok: false, format: 'vmdk' });
  t.deepEqual(mismatch.problems.map((p) => p.code), ['format-mismatch']);
  t.regex(mismatch.problems[0].message, /should be qcow2, but it is vmdk/);

  await put('exports/garbage.qcow2', buildRawDisk(8192));
  const garbage = await verifyArtifact(s3rver.storage(), { bucket: BUCKET, key: 'exports/garbage.qcow2', format: 'qcow2' });
  t.like(garbage, { ok: false, format: 'raw' });
  t.is(garbage.problems[0].code, 'bad-magic');
});

test.serial('reports a size mismatch and a disk smaller than expected', async (t) => {
  await put('exports/small.raw', buildRawDisk(1024 * 1024));
  const report = await verifyArtifact(
    s3rver.storage(),
    { bucket: BUCKET, key: 'exports/small.raw', format: 'raw', sizeBytes: 2048 },
    { minVirtualSizeBytes: 8 * 1024 ** 3 },
  );
  t.false(report.ok);
  t.deepEqual(report.problems.map((p) => p.code).sort(), ['size-mismatch', 'too-small']);
});

test.serial('checks a checksum by streaming the object, hex or base64', async (t) => {
  const image = buildRawTarGz(buildRawDisk(4 * 1024 * 1024), 'm-1_system.raw');
  await put('exports/m-1_system.raw.tar.gz', image);
  const digest = createHash('sha256').update(image).digest();
  const { storage, ranges, streams } = recording(s3rver.storage());
  const good = await verifyArtifact(storage, { bucket: BUCKET, key: 'exports/m-1_system.raw.tar.gz' }, {
    format: 'raw.tar.gz',
    sha256: digest.toString('hex').toUpperCase(),
  });
  t.like(good, { ok: true, sha256: digest.toString('hex'), variant: 'm-1_system.raw', virtualSizeBytes: 4 * 1024 * 1024 });
  t.is(streams(), 1, 'one streamed GET');
  t.true(ranges.every(([start, end]) => end - start < 65_536), 'the header reads stayed small');
  const base64 = await verifyArtifact(storage, { bucket: BUCKET, key: 'exports/m-1_system.raw.tar.gz' }, { sha256: digest.toString('base64') });
  t.true(base64.ok);
  const bad = await verifyArtifact(storage, { bucket: BUCKET, key: 'exports/m-1_system.raw.tar.gz' }, { sha256: '0'.repeat(64) });
  t.deepEqual(bad.problems.map((p) => p.code), ['checksum-mismatch']);
});

test.serial('hashes through ranged chunks when the store cannot stream', async (t) => {
  const image = Buffer.concat([buildQcow2(), Buffer.alloc(300_000, 3)]);
  await put('exports/chunked.qcow2', image);
  const { storage, ranges } = recording(s3rver.storage(), false);
  const report = await verifyArtifact(
    storage,
    { bucket: BUCKET, key: 'exports/chunked.qcow2' },
    { sha256: createHash('sha256').update(image).digest('hex') },
    { hashChunkBytes: 100_000 },
  );
  t.true(report.ok);
  t.is(ranges.length, 1 + Math.ceil(image.length / 100_000));
  t.true(ranges.every(([start, end]) => end - start + 1 <= 100_000));
});

test('rejects an invalid expectation, naming every bad field', async (t) => {
  const error = await t.throwsAsync(
    verifyArtifact(s3rver.storage(), { bucket: BUCKET, key: 'x' }, { format: 'iso', sizeBytes: -1, sha256: 'abc' }),
    { instanceOf: SpecValidationError },
  );
  t.deepEqual(error?.issues.map((i) => i.field), ['format', 'sizeBytes', 'sha256']);
  t.regex(error?.message ?? '', /format: "iso" is not a known disk format/);
});

test('fails with the transport error, not a report, when the store fails', async (t) => {
  const failure = new CloudError({ cloud: 'aws', operation: 'GetObject', code: 'SlowDown', message: 'slow', kind: 'throttling' });
  const storage = {
    head: async () => ({ key: 'k', sizeBytes: 4096 }),
    readRange: async () => {
      throw failure;
    },
  } as unknown as ObjectStorage;
  t.is(await t.throwsAsync(verifyArtifact(storage, { bucket: 'b', key: 'k' })), failure);
});
