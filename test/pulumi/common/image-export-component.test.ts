import test from 'ava';
import { ImageExport } from '../../../pulumi/aws/image-export';
import { ImageExport as JdcloudExport } from '../../../pulumi/jdcloud/image-export';
import { resourceOf } from '../../support/pulumi-example-stack';
import { runUnderMocks } from '../../support/pulumi-mock-program';

const TASK = 'pulumi-nodejs:dynamic/imageport/aws:ImageExportTask';

test.serial('the export component parents one dynamic task resource, scopes its token by its URN, and registers its outputs', async (t) => {
  const run = await runUnderMocks(() => {
    new ImageExport('golden', { region: 'us-east-1', imageId: 'ami-0600d000000000001', format: 'VMDK', bucket: 'b', prefix: 'exports/' });
  });
  const component = resourceOf(run.resources, 'imageport:aws:ImageExport');
  const task = resourceOf(run.resources, TASK);
  t.is(task.parent, component.urn);
  t.is(task.name, 'golden');
  t.is(task.inputs.tokenScope, component.urn);
  t.like(task.inputs, { cloud: 'aws', region: 'us-east-1', imageId: 'ami-0600d000000000001', format: 'VMDK', bucket: 'b', prefix: 'exports/' });
  t.false('waitTimeout' in task.inputs, 'no wait timeout unless asked: the provider default applies');
  t.deepEqual(task.secretInputs, []);
});

test.serial('customTimeouts become the wait defaults; explicit waitTimeout wins', async (t) => {
  const run = await runUnderMocks(() => {
    new ImageExport('a', { region: 'us-east-1', imageId: 'ami-0600d000000000001', format: 'RAW', bucket: 'b' }, { customTimeouts: { create: '3h', delete: '20m' } });
    new ImageExport('b', { region: 'us-east-1', imageId: 'ami-0600d000000000001', format: 'RAW', bucket: 'b', waitTimeout: '45m' }, { customTimeouts: { create: '3h' } });
  });
  t.like(resourceOf(run.resources, TASK, 'a').inputs, { waitTimeout: '3h', deleteTimeout: '20m' });
  t.like(resourceOf(run.resources, TASK, 'b').inputs, { waitTimeout: '45m' });
});

test.serial('the region defaults to the aws:region stack config', async (t) => {
  const run = await runUnderMocks(
    () => {
      new ImageExport('golden', { imageId: 'ami-0600d000000000001', format: 'VMDK', bucket: 'b' });
    },
    { config: { 'aws:region': 'eu-west-1' } },
  );
  t.is(resourceOf(run.resources, TASK).inputs.region, 'eu-west-1');
});

test.serial('rejects an AWS export without any region, naming the argument and where else it may come from', async (t) => {
  const saved = { AWS_REGION: process.env.AWS_REGION, AWS_DEFAULT_REGION: process.env.AWS_DEFAULT_REGION };
  delete process.env.AWS_REGION;
  delete process.env.AWS_DEFAULT_REGION;
  try {
    const error = await t.throwsAsync(() =>
      runUnderMocks(() => {
        new ImageExport('golden', { imageId: 'ami-0600d000000000001', format: 'VMDK', bucket: 'b' });
      }),
    );
    t.regex(error!.message, /imageport:aws:ImageExport "golden": region is required: pass region, or set the aws:region stack config or AWS_REGION/);
  } finally {
    Object.assign(process.env, Object.fromEntries(Object.entries(saved).filter(([, v]) => v !== undefined)));
  }
});

test.serial('JD exports carry the role and data-disk choice to the task', async (t) => {
  const run = await runUnderMocks(() => {
    new JdcloudExport('golden', { region: 'cn-east-2', imageId: 'img-g01den0001', bucket: 'b', roleName: 'image-export', allDisks: true });
  });
  t.like(resourceOf(run.resources, 'pulumi-nodejs:dynamic/imageport/jdcloud:ImageExportTask').inputs, { cloud: 'jdcloud', roleName: 'image-export', allDisks: true });
});
