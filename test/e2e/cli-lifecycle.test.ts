import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import test from 'ava';
import { emulatorFor, hasStackTrace, quickstartText, readState, REPO, runCli, workspace, writePipeline } from './cli-harness';

// One emulator per test, in this process; the CLI runs as a child process pointed at it through the clouds'
// standard environment variables (AWS_ENDPOINT_URL_EC2, ALIBABA_CLOUD_ENDPOINT_ECS, JDCLOUD_ENDPOINT_VM, ...).
const SPEED = 3000;

test.serial('validate accepts every example and rejects a bad file with exact positions', async (t) => {
  const dir = await workspace(t);
  for (const example of ['quickstart.yaml', 'from-cli-scripts.yaml', 'export-then-import.yaml']) {
    const run = await runCli(['validate', `pipelines/${example}`], { cwd: dir });
    t.is(run.code, 0, run.stdout + run.stderr);
    t.regex(run.stdout, /valid \(\d+ exports?, \d+ imports?\)/);
  }
  const bad = [
    'name: bad',
    'clouds:',
    '  aws: { region: us-east-1 }',
    '  jdcloud: { region: cn-east-2 }',
    'roles:',
    '  r: { cloud: aws }',
    'buckets:',
    '  b: { cloud: aws, name: my-exports }',
    '  jd: { cloud: jdcloud, name: jd-exports }',
    'exports:',
    '  golden-aws:',
    '    cloud: aws',
    '    imageId: ami-0600d000000000001',
    '    format: qcow2',
    '    bucket: b',
    '    colour: blue',
    '  golden-jdcloud:',
    '    cloud: jdcloud',
    '    imageId: img-g01den0001',
    '    bucket: nowhere',
    '    role: r',
    '',
  ].join('\n');
  await writePipeline(dir, 'bad.yaml', bad);
  const run = await runCli(['validate', 'bad.yaml'], { cwd: dir });
  t.is(run.code, 1);
  t.false(hasStackTrace(run.stdout + run.stderr));
  t.deepEqual(run.stdout.trim().split('\n'), [
    'bad.yaml:14:13: exports.golden-aws.format: "qcow2" is not an export format of AWS (allowed: VMDK, RAW, VHD) [AWS ExportImage]',
    'bad.yaml:16:5: exports.golden-aws.colour: is not a known field here (allowed: cloud, imageId, fromImport, bucket, prefix, role, removal, timeouts, format, description, tags)',
    'bad.yaml:20:13: exports.golden-jdcloud.bucket: "nowhere" is not a bucket of this file: declare it under buckets (with existing: true for a bucket made elsewhere) (allowed: jd)',
    'bad.yaml:21:11: exports.golden-jdcloud.role: "r" is a role on aws, not on jdcloud',
    'bad.yaml: 4 problems',
  ]);
});

test.serial('validate reports a YAML syntax error with line and column, and a missing file plainly', async (t) => {
  const dir = await workspace(t);
  await writePipeline(dir, 'broken.yaml', 'name: demo\nclouds:\n  aws: { region: us-east-1\nexports: {}\n');
  const run = await runCli(['validate', 'broken.yaml'], { cwd: dir });
  t.is(run.code, 1);
  t.regex(run.stdout, /^broken\.yaml:4:\d+: YAML syntax error: /m);
  const missing = await runCli(['validate', 'nope.yaml'], { cwd: dir });
  t.is(missing.code, 1);
  t.is(missing.stderr.trim(), 'imageport: cannot read nope.yaml: no such file');
  t.false(hasStackTrace(run.stdout + run.stderr + missing.stderr));
});

test.serial('plan, apply, status, a second apply that does nothing, a replacement, destroy (exported files retained)', async (t) => {
  const { emulator, env } = await emulatorFor(SPEED);
  t.teardown(() => emulator.stop());
  const dir = await workspace(t);
  const file = 'pipelines/quickstart.yaml';

  const plan = await runCli(['plan', file], { cwd: dir, env });
  t.is(plan.code, 0, plan.stderr);
  t.regex(plan.stdout, /\+ export "golden-aws": ami-0600d000000000001 -> s3:\/\/imageport-quickstart-aws\/exports\/ \(vmdk\)/);
  t.regex(plan.stdout, /Plan: 9 to add, 0 to change, 0 to replace, 0 to destroy, 0 to resume\./);
  t.is(emulator.inspect().tasks.length, 0, 'plan starts nothing');

  const apply = await runCli(['apply', file], { cwd: dir, env });
  t.is(apply.code, 0, apply.stdout + apply.stderr);
  t.regex(apply.stdout, /ENTRY\s+CLOUD\s+URI\s+FORMAT\s+SIZE/);
  t.regex(apply.stdout, /exports\.golden-aws\s+aws\s+s3:\/\/imageport-quickstart-aws\/exports\/export-ami-[0-9a-f]{17}\.vmdk\s+vmdk\s+\d/);
  t.regex(apply.stdout, /exports\.golden-alicloud\s+alicloud\s+oss:\/\/imageport-quickstart-alicloud\/quickstart_m-g01den0hangzhou001_system\.raw\.tar\.gz\s+raw\.tar\.gz/);
  t.regex(apply.stdout, /exports\.golden-jdcloud\s+jdcloud\s+oss:\/\/imageport-quickstart-jdcloud\/quickstart_exportImage_img-g01den0001_\S+\.qcow2\s+qcow2/);
  t.regex(apply.stdout, /Apply complete: 3 succeeded\./);
  t.is(emulator.inspect().tasks.filter((task) => task.kind === 'export').length, 3);
  t.deepEqual(emulator.inspect().roles.map((role) => `${role.cloud}:${role.name}`).sort(), [
    'alicloud:AliyunECSImageExportDefaultRole',
    'aws:vmimport',
    'jdcloud:imageport-export',
  ]);
  const state = await readState(dir);
  t.is(state?.version, 1);
  t.false(JSON.stringify(state).includes(emulator.credentials.aws.secretAccessKey), 'no credential in the state');
  t.false(JSON.stringify(state).includes(emulator.credentials.aws.accessKeyId), 'no access key in the state');

  const status = await runCli(['status', file], { cwd: dir, env });
  t.is(status.code, 0, status.stderr);
  t.is(status.stdout.split('\n').filter((line) => /^exports\.\S+\s+\S+\s+\S+\s+succeeded\s+succeeded/.test(line)).length, 3, status.stdout);

  const permissions = await runCli(['plan', file, '--check-permissions'], { cwd: dir, env });
  t.is(permissions.code, 0, permissions.stdout);
  t.regex(permissions.stdout, /allowed exports\.golden-aws \(aws, DryRun \(ExportImage\)\): DryRunOperation/);
  t.regex(permissions.stdout, /allowed exports\.golden-alicloud \(alicloud, DryRun \(ExportImage\)\): DryRunOperation/);
  // JD Cloud has no dry run: its driver checks what it can and says "unknown" rather than guess (not a denial).
  t.regex(permissions.stdout, /(allowed|unknown) exports\.golden-jdcloud \(jdcloud, /);
  t.is(emulator.inspect().tasks.length, 3, 'checking permissions starts nothing');

  const again = await runCli(['apply', file], { cwd: dir, env });
  t.is(again.code, 0, again.stderr);
  t.regex(again.stdout, /No changes\. The clouds match the pipeline\./);
  t.is(emulator.inspect().tasks.length, 3, 'a second apply starts nothing');

  const original = await readFile(join(dir, file), 'utf8');
  await writePipeline(dir, file, original.replace('format: vmdk', 'format: vhd'));
  const replacePlan = await runCli(['plan', file], { cwd: dir, env });
  t.is(replacePlan.code, 0);
  t.regex(replacePlan.stdout, /-\/\+ export "golden-aws"/);
  t.regex(replacePlan.stdout, /format: "vmdk" -> "vhd" forces replacement/);
  t.regex(replacePlan.stdout, /Plan: 0 to add, 0 to change, 1 to replace, 0 to destroy, 0 to resume\./);
  const replaced = await runCli(['apply', file], { cwd: dir, env });
  t.is(replaced.code, 0, replaced.stdout + replaced.stderr);
  t.regex(replaced.stdout, /exports\.golden-aws\s+aws\s+s3:\/\/imageport-quickstart-aws\/exports\/export-ami-[0-9a-f]{17}\.vhd\s+vhd/);
  t.is(emulator.inspect().tasks.length, 4);

  const destroy = await runCli(['destroy', file], { cwd: dir, env });
  t.is(destroy.code, 0, destroy.stdout + destroy.stderr);
  const after = emulator.inspect();
  t.deepEqual(after.roles, [], 'the roles the pipeline created are deleted');
  const awsBucket = after.buckets.find((bucket) => bucket.name === 'imageport-quickstart-aws');
  t.truthy(awsBucket, 'a bucket holding retained exports is kept');
  t.is(awsBucket!.objects.filter((object) => /\.(vmdk|vhd)$/.test(object.key)).length, 2, 'both exported files are retained');
  t.regex(destroy.stdout, /kept s3:\/\/imageport-quickstart-aws\/exports\/export-ami-[0-9a-f]{17}\.vhd \(removal: retain\)/);
  const emptied = await readState(dir);
  t.deepEqual([emptied?.exports, emptied?.roles, emptied?.buckets], [{}, {}, {}]);
});

test.serial('destroy deletes exported files and then the emptied buckets when the file says removal: destroy', async (t) => {
  const { emulator, env } = await emulatorFor(SPEED);
  t.teardown(() => emulator.stop());
  const dir = await workspace(t);
  const text = (await quickstartText()).replace(/(\n {4}role: (aws-vmimport|alicloud-export|jdcloud-export)\n)/g, '$1    removal: destroy\n');
  t.is((text.match(/removal: destroy/g) ?? []).length, 3);
  await writePipeline(dir, 'destroy.yaml', text);
  const apply = await runCli(['apply', 'destroy.yaml', '--json'], { cwd: dir, env });
  t.is(apply.code, 0, apply.stderr);
  const lines = apply.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; ok?: boolean; artifacts?: unknown[] });
  t.is(lines[0].type, 'plan');
  const result = lines[lines.length - 1];
  t.is(result.type, 'result');
  t.true(result.ok);
  t.is(result.artifacts?.length, 3);
  t.true(lines.some((line) => line.type === 'task-progress'));

  const destroy = await runCli(['destroy', 'destroy.yaml'], { cwd: dir, env });
  t.is(destroy.code, 0, destroy.stdout + destroy.stderr);
  const after = emulator.inspect();
  for (const name of ['imageport-quickstart-aws', 'imageport-quickstart-alicloud', 'imageport-quickstart-jdcloud']) {
    t.falsy(after.buckets.find((bucket) => bucket.name === name), `${name} is deleted once empty`);
  }
  t.regex(destroy.stdout, /deleted s3:\/\/imageport-quickstart-aws\/exports\/export-ami-[0-9a-f]{17}\.vmdk/);
});

test.serial('init writes a skeleton that validates; schema prints the shipped schema', async (t) => {
  const dir = await workspace(t);
  const init = await runCli(['init', 'my-pipeline.yaml'], { cwd: dir });
  t.is(init.code, 0, init.stderr);
  const validate = await runCli(['validate', 'my-pipeline.yaml'], { cwd: dir });
  t.is(validate.code, 0, validate.stdout);
  const skeleton = await readFile(join(dir, 'my-pipeline.yaml'), 'utf8');
  t.regex(skeleton, /^# yaml-language-server: \$schema=\S+schema\/pipeline\.schema\.json\n/);
  const again = await runCli(['init', 'my-pipeline.yaml'], { cwd: dir });
  t.is(again.code, 1);
  t.regex(again.stderr, /already exists: choose another name, or pass --force/);
  const schema = await runCli(['schema'], { cwd: dir });
  t.is(schema.code, 0);
  t.is(schema.stdout, await readFile(join(REPO, 'schema', 'pipeline.schema.json'), 'utf8'));
});

test.serial('apply --local runs the quickstart in-process; status --local sees the same emulator afterwards', async (t) => {
  const dir = await workspace(t);
  const apply = await runCli(['apply', 'pipelines/quickstart.yaml', '--local'], { cwd: dir });
  t.is(apply.code, 0, apply.stdout + apply.stderr);
  t.regex(apply.stdout, /Apply complete: 3 succeeded\./);
  const status = await runCli(['status', 'pipelines/quickstart.yaml', '--local'], { cwd: dir });
  t.is(status.code, 0, status.stderr);
  t.is(status.stdout.split('\n').filter((line) => /\ssucceeded\s+succeeded\s/.test(line)).length, 3, status.stdout);
  const plan = await runCli(['plan', 'pipelines/quickstart.yaml', '--local'], { cwd: dir });
  t.regex(plan.stdout, /No changes\./);
});

test.serial('a chain runs in order: export, import of that file, export of the new image', async (t) => {
  const { emulator, env } = await emulatorFor(SPEED);
  t.teardown(() => emulator.stop());
  const dir = await workspace(t);
  const apply = await runCli(['apply', 'pipelines/export-then-import.yaml'], { cwd: dir, env });
  t.is(apply.code, 0, apply.stdout + apply.stderr);
  const tasks = emulator.inspect().tasks;
  t.deepEqual(tasks.map((task) => task.kind).sort(), ['export', 'export', 'import']);
  const imported = tasks.find((task) => task.kind === 'import')!;
  const reexport = tasks.find((task) => task.kind === 'export' && task.format?.toLowerCase() === 'vhd')!;
  t.truthy(imported.imageId);
  t.is(reexport.imageId, imported.imageId, 'the second export exports the image the import created');
  t.regex(apply.stdout, new RegExp(`imports\\.reimported\\s+aws\\s+${imported.imageId}\\s+image`));
  const again = await runCli(['apply', 'pipelines/export-then-import.yaml'], { cwd: dir, env });
  t.regex(again.stdout, /No changes\./);
});
