import test from 'ava';
import {
  artifactDiskOf,
  artifactFormatOf,
  artifactsOf,
  exportObjectPrefix,
  failureOf,
  importedImageStateOf,
  parseProgress,
  relatedItemsOf,
  taskStateOf,
} from '../../../../lib/clouds/alicloud/task-mapping';

test('task statuses map as lib/model/task.ts documents', (t) => {
  t.is(taskStateOf('Waiting', false), 'pending');
  t.is(taskStateOf('Paused', false), 'pending');
  t.is(taskStateOf('Processing', false), 'running');
  t.is(taskStateOf('Finished', false), 'succeeded');
  t.is(taskStateOf('Failed', false), 'failed');
  t.is(taskStateOf('Deleted', true), 'cancelled');
  t.is(taskStateOf('Deleted', false), 'failed');
  t.is(taskStateOf('SomethingNew', false), 'running', 'an undocumented status keeps the waiter waiting');
});

test('progress "45%" reads as 45; unreadable progress is undefined', (t) => {
  t.is(parseProgress('45%'), 45);
  t.is(parseProgress('100%'), 100);
  t.is(parseProgress(' 7 '), 7);
  t.is(parseProgress(undefined), undefined);
  t.is(parseProgress('n/a'), undefined);
});

const finishedExport = {
  taskId: 't-1',
  taskStatus: 'Finished',
  taskProcess: '100%',
  operationProgressSet: {
    operationProgress: [
      {
        operationStatus: 'Success',
        relatedItemSet: {
          relatedItem: [
            { name: 'OSSBucket', value: 'exports' },
            { name: 'OSSObject', value: 'pre_m-1_system.raw.tar.gz' },
            { name: 'OSSObject', value: 'pre_m-1_data_xvdb.raw.tar.gz' },
            { name: 'ImageFormat', value: 'raw' },
          ],
        },
      },
    ],
  },
};

test('related items are read by name, every OSSObject kept', (t) => {
  const items = relatedItemsOf(finishedExport);
  t.deepEqual(items.buckets, ['exports']);
  t.deepEqual(items.objects, ['pre_m-1_system.raw.tar.gz', 'pre_m-1_data_xvdb.raw.tar.gz']);
  t.deepEqual(items.formats, ['raw']);
});

test('artifacts come from the task: every disk, format from the name, never guessed', (t) => {
  const artifacts = artifactsOf(relatedItemsOf(finishedExport).objects, 'exports', 'raw');
  t.deepEqual(artifacts, [
    { bucket: 'exports', key: 'pre_m-1_system.raw.tar.gz', format: 'raw.tar.gz', uri: 'oss://exports/pre_m-1_system.raw.tar.gz', disk: 'system' },
    { bucket: 'exports', key: 'pre_m-1_data_xvdb.raw.tar.gz', format: 'raw.tar.gz', uri: 'oss://exports/pre_m-1_data_xvdb.raw.tar.gz', disk: 'data-xvdb' },
  ]);
  t.deepEqual(artifactsOf([], 'exports', 'raw'), []);
});

test('artifact formats and disks are read from names', (t) => {
  t.is(artifactFormatOf('a_m-1_system.qcow2', 'raw'), 'qcow2');
  t.is(artifactFormatOf('MYOSSPRE_m-23f8_t-23ym.vhd', 'raw'), 'vhd');
  t.is(artifactFormatOf('weird-name', 'vmdk'), 'vmdk');
  t.is(artifactDiskOf('MYOSSPRE_m-23f8_t-23ym.vhd', 1), 'system');
  t.is(artifactDiskOf('x_m-1_data-xvdc.vdi', 2), 'data-xvdc');
  t.is(exportObjectPrefix({ prefix: 'pre', imageId: 'm-1' }), 'pre_m-1_');
  t.is(exportObjectPrefix({ imageId: 'm-1' }), 'm-1_');
});

test('a failed task reports the OperationProgress ErrorCode and ErrorMsg', (t) => {
  const failure = failureOf({
    taskId: 't-2',
    taskStatus: 'Failed',
    operationProgressSet: { operationProgress: [{ operationStatus: 'Failed', errorCode: 'ExportImageFailed', errorMsg: 'disk read error' }] },
  });
  t.deepEqual(failure, { code: 'ExportImageFailed', message: 'disk read error' });
  t.is(failureOf({ taskId: 't-3', taskStatus: 'Failed' }).code, 'TaskFailed');
});

test('an imported image is a success only once Available', (t) => {
  t.is(importedImageStateOf({ imageId: 'm-1', status: 'Creating', progress: '50%' }).state, 'running');
  t.is(importedImageStateOf({ imageId: 'm-1', status: 'Waiting' }).state, 'running');
  t.is(importedImageStateOf(undefined).state, 'running');
  t.is(importedImageStateOf({ imageId: 'm-1', status: 'Available' }).state, 'succeeded');
  t.is(importedImageStateOf({ imageId: 'm-1', status: 'CreateFailed' }).state, 'failed');
});
