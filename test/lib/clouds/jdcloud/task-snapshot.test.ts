import test from 'ava';
import { type TaskRef } from '../../../../lib/model/task';
import { exportSnapshot, importSnapshot, jdTaskState, objectKeyOf } from '../../../../lib/clouds/jdcloud/task-snapshot';
import { parseTaskInfo } from '../../../../lib/clouds/jdcloud/vm-client';

const exportRef: TaskRef = { cloud: 'jdcloud', region: 'cn-east-2', kind: 'export', taskId: '42', imageId: 'img-a', bucket: 'exports', prefix: 'p', format: 'qcow2' };
const importRef: TaskRef = { cloud: 'jdcloud', region: 'cn-east-2', kind: 'import', taskId: '43', imageId: 'img-new' };

test('maps JD task statuses to normalised states', (t) => {
  t.is(jdTaskState('pending'), 'pending');
  t.is(jdTaskState('running'), 'running');
  t.is(jdTaskState('finished'), 'succeeded');
  t.is(jdTaskState('failed'), 'failed');
  t.is(jdTaskState('something-new'), 'running');
});

test('a running export has progress and no artifacts', (t) => {
  const snapshot = exportSnapshot(exportRef, parseTaskInfo({ taskId: '42', taskStatus: 'running', progress: 35, ossObject: 'early' }));
  t.is(snapshot.state, 'running');
  t.is(snapshot.progress, 35);
  t.deepEqual(snapshot.artifacts, []);
});

test('a finished export lists ossObjects (system disk first) with sizes, as qcow2', (t) => {
  const info = parseTaskInfo({
    taskId: '42', taskStatus: 'finished', progress: 100,
    ossObject: 'p_exportImage_img-a.qcow2', ossObjects: ['p_exportImage_img-a.qcow2', 'p_exportImage_img-a_data1.qcow2'],
  });
  const snapshot = exportSnapshot(exportRef, info, new Map([['p_exportImage_img-a.qcow2', 1024]]));
  t.is(snapshot.state, 'succeeded');
  t.deepEqual(snapshot.artifacts, [
    { bucket: 'exports', key: 'p_exportImage_img-a.qcow2', format: 'qcow2', uri: 'oss://exports/p_exportImage_img-a.qcow2', disk: 'system', sizeBytes: 1024 },
    { bucket: 'exports', key: 'p_exportImage_img-a_data1.qcow2', format: 'qcow2', uri: 'oss://exports/p_exportImage_img-a_data1.qcow2', disk: 'data-1' },
  ]);
});

test('a finished export without ossObjects falls back to ossObject, and with neither has no artifacts', (t) => {
  const one = exportSnapshot(exportRef, parseTaskInfo({ taskId: '42', taskStatus: 'finished', ossObject: 'k.qcow2' }));
  t.deepEqual(one.artifacts.map((a) => a.key), ['k.qcow2']);
  t.deepEqual(exportSnapshot(exportRef, parseTaskInfo({ taskId: '42', taskStatus: 'finished' })).artifacts, []);
});

test('object names given as URLs are reduced to keys', (t) => {
  t.is(objectKeyOf('https://exports.s3-internal.cn-east-2.jdcloud-oss.com/a/b.qcow2', 'exports'), 'a/b.qcow2');
  t.is(objectKeyOf('http://127.0.0.1:9000/exports/a.qcow2', 'exports'), 'a.qcow2');
  t.is(objectKeyOf('/a.qcow2', 'exports'), 'a.qcow2');
});

test('a failed export carries errorInfo as its failure', (t) => {
  const snapshot = exportSnapshot(exportRef, parseTaskInfo({ taskId: '42', taskStatus: 'failed', errorInfo: 'role has no permission' }));
  t.is(snapshot.state, 'failed');
  t.deepEqual(snapshot.failure, { code: 'ExportImageFailed', message: 'role has no permission' });
  t.is(snapshot.message, 'role has no permission');
});

test('an import succeeds only when the task is finished and the image ready', (t) => {
  const finished = parseTaskInfo({ taskId: '43', taskStatus: 'finished', imageId: 'img-new', progress: 100 });
  const creating = importSnapshot(importRef, finished, { imageId: 'img-new', status: 'pending', progress: '60' });
  t.is(creating.state, 'running');
  t.is(creating.progress, 60);
  const ready = importSnapshot(importRef, finished, { imageId: 'img-new', status: 'ready' });
  t.is(ready.state, 'succeeded');
  t.is(ready.imageId, 'img-new');
  const broken = importSnapshot(importRef, finished, { imageId: 'img-new', status: 'error' });
  t.is(broken.state, 'failed');
  t.is(broken.failure?.code, 'ImageNotReady');
  const running = importSnapshot(importRef, parseTaskInfo({ taskId: '43', taskStatus: 'running', progress: 10 }));
  t.is(running.state, 'running');
  t.is(running.progress, 10);
});
