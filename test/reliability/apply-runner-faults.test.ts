import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test from 'ava';
import { CloudError } from '../../lib/model/cloud-error';
import { applyPipeline } from '../../lib/pipeline/run/apply-runner';
import { type ArtifactCheck } from '../../lib/pipeline/run/artifact-check';
import { CloudAccess } from '../../lib/pipeline/run/cloud-access';
import { type RunEvent } from '../../lib/pipeline/run/run-events';
import { StateStore } from '../../lib/pipeline/state/state-store';
import { VirtualClock } from '../../lib/wait/clock';
import { check } from '../lib/pipeline/pipeline-test-support';
import { FakeCloud } from '../lib/pipeline/run/fake-cloud';

// What the chaos test exposed, pinned down on the runner with the in-memory fake cloud and a virtual clock.

const TWO_EXPORTS = `name: runner-faults
clouds:
  aws: { region: us-east-1 }
roles:
  r: { cloud: aws }
buckets:
  b: { cloud: aws, name: runner-faults-bucket }
exports:
  one: { cloud: aws, imageId: ami-00000000000000001, format: vmdk, bucket: b, role: r }
  two: { cloud: aws, imageId: ami-00000000000000002, format: vmdk, bucket: b, role: r }
`;

async function runWith(t: { teardown(fn: () => Promise<void>): void }, checkArtifact: ArtifactCheck) {
  const loaded = check(TWO_EXPORTS);
  if (!loaded.pipeline) throw new Error(loaded.issues.map((issue) => issue.rule).join('\n'));
  const fake = new FakeCloud();
  const dir = await mkdtemp(join(tmpdir(), 'imageport-runner-faults-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  const store = await StateStore.open(join(dir, 'state.json'), loaded.pipeline.name);
  const events: RunEvent[] = [];
  try {
    const result = await applyPipeline({
      pipeline: loaded.pipeline,
      store,
      clouds: new CloudAccess(loaded.pipeline.clouds, async (cloud, connection) => fake.driver(cloud, connection.region)),
      checkArtifact,
      report: (event) => events.push(event),
      wait: { clock: new VirtualClock(), minIntervalMs: 1000, maxIntervalMs: 5000 },
    });
    return { result, state: store.state, events, fake };
  } finally {
    await store.close();
  }
}

function connectionReset(): CloudError {
  return new CloudError({ cloud: 'aws', operation: 'GetObject', code: 'ECONNRESET', message: 'socket hang up', kind: 'transient' });
}

test('a dropped connection while checking an artifact is retried: the export succeeds', async (t) => {
  const failures = new Map<string, number>();
  const { result, state } = await runWith(t, async (_storage, artifact) => {
    const seen = failures.get(artifact.key) ?? 0;
    failures.set(artifact.key, seen + 1);
    if (seen < 2) throw connectionReset();
    return { errors: [], warnings: [] };
  });
  t.true(result.ok, JSON.stringify(result.entries));
  t.deepEqual(Object.values(state.exports).map((record) => record.status), ['succeeded', 'succeeded']);
  t.deepEqual([...failures.values()], [3, 3], 'each check was tried until it answered');
});

test('fails an export whose artifact check keeps failing on a transient error, and says so', async (t) => {
  const { result, state } = await runWith(t, async () => {
    throw connectionReset();
  });
  t.false(result.ok);
  t.deepEqual(result.entries.map((entry) => entry.outcome), ['failed', 'failed']);
  t.regex(result.entries[0].error ?? '', /could not be checked: .*socket hang up/);
  t.deepEqual(Object.values(state.exports).map((record) => record.failure?.code), ['ArtifactCheckFailed', 'ArtifactCheckFailed']);
});

test('a check that finds a bad file fails the export at once (no retry of a verdict)', async (t) => {
  let calls = 0;
  const { result } = await runWith(t, async () => {
    calls++;
    return { errors: ['bad magic'], warnings: [] };
  });
  t.deepEqual(result.entries.map((entry) => entry.outcome), ['failed', 'failed']);
  t.is(calls, 2);
});
