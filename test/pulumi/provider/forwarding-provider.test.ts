import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import test from 'ava';
import { Bucket } from '../../../pulumi/jdcloud/bucket';
import { assertRuntimeBuilt, resourceOf } from '../../support/pulumi-example-stack';
import { runUnderMocks } from '../../support/pulumi-mock-program';
import { ProviderHost, REPO_ROOT } from '../../support/pulumi-provider-host';

const BUCKET = 'pulumi-nodejs:dynamic/imageport/jdcloud:Bucket';

/** The published form: the compiled `dist/pulumi`, as `require('imageport/pulumi')` loads it in a user's project. */
function compiledPulumi(): { jdcloud: { Bucket: typeof Bucket } } {
  return require(path.join(REPO_ROOT, 'dist', 'pulumi', 'index.js'));
}

test.before(() => {
  assertRuntimeBuilt();
});

test.serial('the serialized provider captures only its kind and the runtime module name, from the sources and from dist', async (t) => {
  const run = await runUnderMocks(() => {
    new Bucket('from-source', { bucketName: 'b-source', region: 'cn-east-2' });
    new (compiledPulumi().jdcloud.Bucket)('from-dist', { bucketName: 'b-dist', region: 'cn-east-2' });
  });
  for (const name of ['from-source', 'from-dist']) {
    const text = String(resourceOf(run.resources, BUCKET, name).inputs.__provider);
    const captured = [...text.matchAll(/with\(\{ ([^}]*)\}\)/g)].flatMap((m) => m[1].split(', ').map((entry) => entry.split(':')[0].trim()));
    t.deepEqual([...new Set(captured)].filter((v) => !['this', 'arguments'].includes(v)).sort(), ['RUNTIME_MODULE', 'kind', 'provider', 'runtime'], name);
    t.regex(text, /kind: "jdcloud-bucket"/);
    t.true(text.length < 6000, `${name}: ${text.length} characters`);
  }
});

test.serial('the dist-compiled provider runs in the host: check names the bad property', async (t) => {
  const run = await runUnderMocks(() => {
    new (compiledPulumi().jdcloud.Bucket)('bad', { bucketName: 'Bad_Bucket--Name', region: 'cn-east-2' });
  });
  const host = await ProviderHost.start({ env: {} });
  try {
    const resource = resourceOf(run.resources, BUCKET);
    const { failures } = await host.check(resource.urn, {}, resource.inputs);
    t.true(failures.length >= 2);
    t.true(failures.every((failure) => failure.property === 'bucketName'));
    t.regex(failures.map((f) => f.reason).join('\n'), /bucketName: "Bad_Bucket--Name" may contain only lower-case letters, digits and hyphens/);
  } finally {
    await host.stop();
  }
});

test.serial('fails with a clear message when the host cannot resolve imageport from its working directory', async (t) => {
  const run = await runUnderMocks(() => {
    new Bucket('elsewhere', { bucketName: 'b-elsewhere', region: 'cn-east-2' });
  });
  const outside = mkdtempSync(path.join(tmpdir(), 'imageport-no-package-'));
  const host = await ProviderHost.start({ env: {}, cwd: outside });
  try {
    const resource = resourceOf(run.resources, BUCKET);
    const error = await t.throwsAsync(() => host.check(resource.urn, {}, resource.inputs));
    t.regex(error!.message, /imageport: cannot load its Pulumi provider runtime \("imageport\/pulumi\/runtime\/index"\) from .*imageport-no-package-/);
    t.regex(error!.message, /npm install imageport/);
  } finally {
    await host.stop();
    rmSync(outside, { recursive: true, force: true });
  }
});
