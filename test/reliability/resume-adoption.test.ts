import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import { type AlicloudExportSpec } from '../../lib/model/export-spec';
import { specDigest, type ExportRecord, type PipelineState } from '../../lib/pipeline/state/pipeline-state';
import { applyPipeline } from '../../lib/pipeline/run/apply-runner';
import { verifyExportedArtifact } from '../../lib/pipeline/run/artifact-check';
import { CloudAccess } from '../../lib/pipeline/run/cloud-access';
import { StateStore } from '../../lib/pipeline/state/state-store';
import { TaskFailedError } from '../../lib/wait';
import { check } from '../lib/pipeline/pipeline-test-support';
import { IMAGES, startAlicloudEmulator, type AlicloudEmulatorFixture } from '../lib/clouds/alicloud/emulator-fixture';

// The crash test found it: Alibaba's ExportImage has no client token, so a rerun adopts the export a killed run
// started only while it runs. Killed between the call and recording its answer, then resumed after the export had
// finished, apply started a second export of the same image. Now a resumed start adopts the ended task too.

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const BUCKET = 'resume-exports';
const HOUR = 3_600_000;

async function fixture(t: ExecutionContext): Promise<AlicloudEmulatorFixture> {
  const kit = await startAlicloudEmulator();
  t.teardown(() => kit.stop());
  const driver = kit.driver();
  await driver.ensureRole({ cloud: 'alicloud', purpose: 'export' });
  await driver.ensureBucket({ cloud: 'alicloud', region: 'cn-hangzhou', name: BUCKET });
  return kit;
}

const SPEC: AlicloudExportSpec = { cloud: 'alicloud', region: 'cn-hangzhou', imageId: IMAGES.golden, bucket: BUCKET, prefix: 'resume', format: 'raw' };

test('a resumed start adopts the export the killed run started, even once it has finished: one task', async (t) => {
  const kit = await fixture(t);
  const recordedAt = new Date(kit.clock.now()).toISOString();
  const first = await kit.driver().startExport(SPEC, 'tok');
  kit.clock.advance(2 * HOUR);
  t.is(kit.emulator.inspect().tasks[0].outcome, 'succeeded');

  const resumed = await kit.driver().startExport(SPEC, 'tok', { resumingSince: recordedAt });
  t.is(resumed.taskId, first.taskId);
  t.true(resumed.adopted);
  t.is(kit.emulator.inspect().tasks.length, 1);
  t.is((await kit.driver().describe(resumed)).state, 'succeeded');
});

test('a resumed start adopts a failed export of the killed run: its failure is the answer, not a second export', async (t) => {
  const kit = await fixture(t);
  const recordedAt = new Date(kit.clock.now()).toISOString();
  kit.emulator.faults.set({ rate: 1, kinds: ['fail-task'], clouds: ['alicloud'], services: ['ecs'], seed: 1 });
  await kit.driver().startExport(SPEC, 'tok');
  kit.emulator.faults.clear();
  kit.clock.advance(2 * HOUR);

  const resumed = await kit.driver().startExport(SPEC, 'tok', { resumingSince: recordedAt });
  t.is(kit.emulator.inspect().tasks.length, 1);
  const error = await t.throwsAsync(kit.wait(kit.driver(), resumed), { instanceOf: TaskFailedError });
  t.is(error?.failureCode, 'ExportImageFailed');
});

test('a fresh start, or one resumed from after the old export was created, never adopts an export that has ended', async (t) => {
  const kit = await fixture(t);
  const old = await kit.driver().startExport(SPEC, 'tok-1');
  kit.clock.advance(2 * HOUR);
  const fresh = await kit.driver().startExport(SPEC, 'tok-2');
  t.not(fresh.taskId, old.taskId);
  t.false(fresh.adopted);
  kit.clock.advance(2 * HOUR);
  const later = await kit.driver().startExport(SPEC, 'tok-3', { resumingSince: new Date(kit.clock.now()).toISOString() });
  t.false(later.adopted);
  t.is(kit.emulator.inspect().tasks.length, 3);
});

test('apply resuming a recorded start whose export has finished adopts it: one task, succeeded, artifact checked', async (t) => {
  const kit = await fixture(t);
  const text = `name: resume
clouds:
  alicloud: { region: cn-hangzhou }
roles:
  r: { cloud: alicloud }
buckets:
  b: { cloud: alicloud, name: ${BUCKET} }
exports:
  golden: { cloud: alicloud, imageId: ${IMAGES.golden}, format: raw, bucket: b, prefix: resume, role: r }
`;
  const loaded = check(text);
  if (!loaded.pipeline) return t.fail(loaded.issues.map((issue) => issue.rule).join('\n'));
  const pipeline = loaded.pipeline;
  const entry = pipeline.exports[0];
  const dir = await mkdtemp(join(tmpdir(), 'imageport-resume-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const file = join(dir, 'state.json');

  // What a run killed right after its ExportImage call leaves: a 'starting' record, and a task it never learned of.
  const recordedAt = new Date(kit.clock.now()).toISOString();
  const token = 'resume-token';
  await kit.driver().startExport(entry.spec as AlicloudExportSpec, token);
  kit.clock.advance(2 * HOUR);
  const starting: ExportRecord = {
    kind: 'export',
    cloud: 'alicloud',
    spec: entry.spec,
    token,
    digest: specDigest(entry.spec),
    generation: 1,
    removal: 'retain',
    status: 'starting',
    startedAt: recordedAt,
  };
  const state: PipelineState = {
    version: 1,
    pipeline: 'resume',
    serial: 3,
    roles: { r: { spec: pipeline.roles[0].spec, region: 'cn-hangzhou', createdByPipeline: true } },
    buckets: { b: { spec: pipeline.buckets[0].spec, createdByPipeline: true } },
    exports: { golden: starting },
    imports: {},
  };
  await writeFile(file, JSON.stringify(state));

  const clouds = new CloudAccess(pipeline.clouds, async () => kit.driver());
  const store = await StateStore.open(file, 'resume');
  try {
    const result = await applyPipeline({
      pipeline,
      store,
      clouds,
      checkArtifact: verifyExportedArtifact,
      report: () => undefined,
      wait: { clock: kit.clock, minIntervalMs: 5_000 },
    });
    t.true(result.ok, JSON.stringify(result));
    t.is(kit.emulator.inspect().tasks.length, 1, 'no second export');
    t.is(store.state.exports.golden.status, 'succeeded');
    t.is(store.state.exports.golden.startedAt, recordedAt, 'the record keeps when the start was first recorded');
  } finally {
    await store.close();
  }
});
