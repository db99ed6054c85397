import test from 'ava';
import { type TaskRef } from '../../../../lib/model/task';
import { exportArtifactKey, exportSnapshot, importSnapshot, observeStatus, parseProgress } from '../../../../lib/clouds/aws/task-snapshot';

const exportRef: TaskRef = { cloud: 'aws', region: 'eu-west-2', kind: 'export', taskId: 'export-ami-07b027f4b1a649986', imageId: 'ami-0123abcd', bucket: 'out', prefix: 'exports/', format: 'vhd' };

test('the artifact key is prefix + task id + . + extension, concatenated raw', (t) => {
  t.is(exportArtifactKey('exports/', 'export-ami-07b027f4b1a649986', 'vhd'), 'exports/export-ami-07b027f4b1a649986.vhd');
  t.is(exportArtifactKey('kubernetes-1-21-', 'export-ami-0c41703223e6e598e', 'raw'), 'kubernetes-1-21-export-ami-0c41703223e6e598e.raw');
  t.is(exportArtifactKey(undefined, 'export-ami-1', 'vmdk'), 'export-ami-1.vmdk');
});

test('progress is parsed from the string percent', (t) => {
  t.is(parseProgress('21'), 21);
  t.is(parseProgress(undefined), undefined);
  t.is(parseProgress('x'), undefined);
  t.is(parseProgress('150'), 100);
});

test('active is pending while validating, running afterwards', (t) => {
  t.deepEqual(observeStatus('active', 'validating', '0', false), { state: 'pending', progress: 0 });
  t.deepEqual(observeStatus('active', 'pending', '2', false), { state: 'pending', progress: 2 });
  t.deepEqual(observeStatus('active', 'converting', '85', false), { state: 'running', progress: 85 });
  t.deepEqual(observeStatus('active', 'preparing ami', '76', false), { state: 'running', progress: 76 });
});

test('deleted is a failure with the status message, unless we cancelled', (t) => {
  t.deepEqual(observeStatus('deleted', 'ClientError: Unsupported kernel version 4.15.0-1021-aws', undefined, false), {
    state: 'failed',
    progress: undefined,
    failure: { code: 'ClientError', message: 'ClientError: Unsupported kernel version 4.15.0-1021-aws' },
  });
  t.is(observeStatus('deleting', undefined, undefined, false).failure?.code, 'TaskDeleted');
  t.is(observeStatus('deleted', 'ClientError: x', undefined, true).state, 'cancelled');
});

test('a completed export carries the artifact read back from S3', (t) => {
  const artifact = { bucket: 'out', key: 'exports/export-ami-07b027f4b1a649986.vhd', format: 'vhd' as const, sizeBytes: 21475927040, uri: 's3://out/exports/export-ami-07b027f4b1a649986.vhd' };
  const snapshot = exportSnapshot(exportRef, { ExportImageTaskId: exportRef.taskId, Status: 'completed' }, artifact);
  t.is(snapshot.state, 'succeeded');
  t.is(snapshot.progress, 100);
  t.deepEqual(snapshot.artifacts, [artifact]);
  t.is(snapshot.rawStatus, 'completed');
});

test('a completed export whose object is missing fails with ArtifactMissing', (t) => {
  const snapshot = exportSnapshot(exportRef, { ExportImageTaskId: exportRef.taskId, Status: 'completed' }, 'missing');
  t.is(snapshot.state, 'failed');
  t.deepEqual(snapshot.failure, { code: 'ArtifactMissing', message: 'the task completed but s3://out/exports/export-ami-07b027f4b1a649986.vhd does not exist' });
});

test('an import carries the new image id once completed', (t) => {
  const ref: TaskRef = { cloud: 'aws', region: 'us-east-1', kind: 'import', taskId: 'import-ami-1234567890abcdef0' };
  const running = importSnapshot(ref, { ImportTaskId: ref.taskId, Status: 'active', StatusMessage: 'converting', Progress: '28' });
  t.deepEqual([running.state, running.progress, running.message, running.imageId], ['running', 28, 'converting', undefined]);
  const done = importSnapshot(ref, { ImportTaskId: ref.taskId, Status: 'completed', ImageId: 'ami-0abcdef1234567890' });
  t.deepEqual([done.state, done.imageId], ['succeeded', 'ami-0abcdef1234567890']);
});
