import test from 'ava';
import { ExportBucket } from '../../../pulumi/alicloud/export-bucket';
import { runUnderMocks, type RegisteredResource } from '../../support/pulumi-mock-program';

function one(resources: RegisteredResource[], type: string): RegisteredResource {
  const found = resources.filter((r) => r.type === type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

test.serial('a private, encrypted OSS bucket with public access blocked, children parented', async (t) => {
  const run = await runUnderMocks(() => {
    new ExportBucket('exports', { bucketName: 'acme-exports', lifecycle: { expireAfterDays: 60 } });
  });
  const component = one(run.resources, 'imageport:alicloud:ExportBucket');
  const bucket = one(run.resources, 'alicloud:oss/bucket:Bucket');
  const acl = one(run.resources, 'alicloud:oss/bucketAcl:BucketAcl');
  const block = one(run.resources, 'alicloud:oss/bucketPublicAccessBlock:BucketPublicAccessBlock');
  const encryption = one(run.resources, 'alicloud:oss/bucketServerSideEncryption:BucketServerSideEncryption');
  for (const child of [bucket, acl, block, encryption]) t.is(child.parent, component.urn, child.type);
  t.is(bucket.inputs.bucket, 'acme-exports');
  t.deepEqual(bucket.inputs.lifecycleRules, [{ id: 'imageport-exports', enabled: true, prefix: '', expirations: [{ days: 60 }] }]);
  t.deepEqual(acl.inputs, { bucket: 'acme-exports', acl: 'private' });
  t.deepEqual(block.inputs, { bucket: 'acme-exports', blockPublicAccess: true });
  t.deepEqual(encryption.inputs, { bucket: 'acme-exports', sseAlgorithm: 'AES256' });
});

test.serial('rejects a lifecycle with zero days, naming the field', async (t) => {
  const error = await t.throwsAsync(() =>
    runUnderMocks(() => {
      new ExportBucket('exports', { lifecycle: { expireAfterDays: 0 } });
    }),
  );
  t.regex(error!.message, /lifecycle\.expireAfterDays: 0 must be a whole number of days/);
});
