import test from 'ava';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../emulator';
import { applyResult, applyScalePipeline, applyTimeline, cloneImageId, formatApplyScaleReport, runApplyScaleBench, writeBenchCatalog } from '../../bench/apply-scale';
import { checkPipelineText } from '../../lib/pipeline/load-pipeline';
import { rulesFor } from '../../lib/clouds/rules';
import { CLI, TSX_LOADER } from '../e2e/cli-harness';

const LOAD = { aws: { exports: 2, concurrency: 1 }, alicloud: { exports: 2, concurrency: 2 }, jdcloud: { exports: 1, concurrency: 1 } };

test('the bench pipeline passes the pipeline checks, with one export per cloned image', (t) => {
  const loaded = checkPipelineText(applyScalePipeline(LOAD), 'bench.yaml', { rulesFor });
  t.deepEqual(loaded.issues, []);
  t.is(loaded.pipeline?.exports.length, 5);
  t.deepEqual(
    loaded.pipeline?.exports.map((entry) => entry.spec.imageId),
    [cloneImageId('aws', 0), cloneImageId('aws', 1), cloneImageId('alicloud', 0), cloneImageId('alicloud', 1), cloneImageId('jdcloud', 0)],
  );
});

test('the cloned catalog gives the emulator an exportable image per clone', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'imageport-bench-catalog-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  writeBenchCatalog(dir, { aws: 3, alicloud: 2, jdcloud: 1 });
  const emulator = await startEmulator({ catalogDir: dir });
  t.teardown(() => emulator.stop());
  const ids = new Set(emulator.inspect().images.map((image) => image.id));
  for (const id of [cloneImageId('aws', 2), cloneImageId('alicloud', 1), cloneImageId('jdcloud', 0), 'ami-0600d000000000001']) t.true(ids.has(id), id);
  t.regex(readFileSync(join(dir, 'aws.json'), 'utf8'), /imageport-golden-linux/);
});

test('the result line and the event times are read back', (t) => {
  const events = [
    { atMs: 300, line: '{"type":"plan","plan":{}}' },
    { atMs: 500, line: '{"type":"resource","resource":"bucket","key":"b","cloud":"aws","action":"created"}' },
    { atMs: 800, line: '{"type":"resource","resource":"role","key":"r","cloud":"aws","action":"created"}' },
    { atMs: 1000, line: '{"type":"task-start","entry":"exports.a","cloud":"aws"}' },
    { atMs: 11_500, line: '{"type":"task-progress","entry":"exports.a","cloud":"aws","state":"succeeded"}' },
    { atMs: 11_700, line: '{"type":"task-end","entry":"exports.a","cloud":"aws","outcome":"succeeded"}' },
    { atMs: 12_000, line: '{"type":"task-start","entry":"exports.b","cloud":"aws"}' },
    { atMs: 23_000, line: '{"type":"task-progress","entry":"exports.b","cloud":"aws","state":"succeeded"}' },
    { atMs: 23_100, line: '{"type":"task-end","entry":"exports.b","cloud":"aws","outcome":"succeeded"}' },
    { atMs: 23_400, line: 'not json' },
  ];
  const timeline = applyTimeline(events, 10_000, 23_500);
  t.is(timeline.startupMs, 300);
  t.is(timeline.setupMs, 700);
  t.is(timeline.resourcesMs, 500);
  t.is(timeline.meanDetectMs, 750);
  t.is(timeline.maxDetectMs, 1000);
  t.is(timeline.meanFinishMs, 150);
  t.is(timeline.meanHandoverMs, 300);
  t.is(timeline.exitMs, 400);
  const stdout = `${events.map((e) => e.line).join('\n')}\n{"type":"result","ok":false,"entries":[{"entry":"exports.a","outcome":"succeeded"},{"entry":"exports.b","outcome":"failed","error":"boom"}],"problems":["roles.x could not be ensured"]}\n`;
  t.deepEqual(applyResult(stdout), { succeeded: 1, failures: ['exports.b: failed (boom)', 'roles.x could not be ensured'] });
  t.deepEqual(applyResult('garbage'), { succeeded: 0, failures: ['apply printed no result line'] });
});

test('a small apply runs as a child process against the emulator and is measured', async (t) => {
  t.timeout(180_000);
  // The CLI from source (tsx), so the test never runs a stale build; the figures are not judged here.
  const report = await runApplyScaleBench({ load: LOAD, taskSeconds: 2, cliPath: CLI, nodeArgs: ['--import', TSX_LOADER] });
  t.deepEqual(report.failures, []);
  t.is(report.exitCode, 0);
  t.is(report.succeeded, 5);
  t.is(report.emulatorSucceeded, 5);
  t.is(report.boundMs, 4000, 'AWS: 2 exports one at a time, 2 s each');
  t.true(report.wallMs > report.boundMs, `wall ${report.wallMs} ms`);
  t.true(report.peakRssBytes > 20 * 1024 * 1024, `peak RSS ${report.peakRssBytes}`);
  t.true(report.timeline.meanDetectMs >= 0 && report.timeline.meanDetectMs < 10_000, `detect ${report.timeline.meanDetectMs}`);
  t.regex(formatApplyScaleReport(report), /\| wall \/ bound \| \d+\.\d{3} \|/);
});
