import test from 'ava';
import { planPipeline } from '../../../../lib/pipeline/plan/planner';
import { ProgressRenderer } from '../../../../lib/pipeline/render/progress-renderer';
import { JsonRenderer, PlainRenderer, renderArtifactTable } from '../../../../lib/pipeline/render/run-renderer';
import { type RunEvent, type RunResult } from '../../../../lib/pipeline/run/run-events';
import { emptyState } from '../../../../lib/pipeline/state/pipeline-state';
import { check, VALID_PIPELINE } from '../pipeline-test-support';

class Buffered {
  public text = '';
  constructor(
    public readonly isTTY = false,
    public readonly columns = 120,
  ) {}
  public write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
  // cli-progress calls these on a terminal stream
  public cursorTo(): boolean {
    return true;
  }
  public clearLine(): boolean {
    return true;
  }
  public moveCursor(): boolean {
    return true;
  }
  public clearScreenDown(): boolean {
    return true;
  }
  public on(): this {
    return this;
  }
  public removeListener(): this {
    return this;
  }
}

const plan = planPipeline(check(VALID_PIPELINE).pipeline!, emptyState('demo'));
const EVENTS: RunEvent[] = [
  { type: 'plan', plan },
  { type: 'resource', resource: 'bucket', key: 'aws-bucket', cloud: 'aws', action: 'created', detail: 'demo-aws-exports' },
  { type: 'task-start', entry: 'exports.golden-aws', cloud: 'aws', kind: 'export', taskId: 'export-ami-1', how: 'started' },
  { type: 'task-progress', entry: 'exports.golden-aws', cloud: 'aws', state: 'running', progress: 40, rawStatus: 'active', message: 'converting' },
  { type: 'task-progress', entry: 'exports.golden-aws', cloud: 'aws', state: 'running', progress: 40, rawStatus: 'active', message: 'converting' },
  { type: 'task-progress', entry: 'exports.golden-aws', cloud: 'aws', state: 'succeeded', progress: 100, rawStatus: 'completed' },
  {
    type: 'task-end',
    entry: 'exports.golden-aws',
    kind: 'export',
    cloud: 'aws',
    outcome: 'succeeded',
    taskId: 'export-ami-1',
    artifacts: [{ bucket: 'b', key: 'exports/export-ami-1.vmdk', format: 'vmdk', uri: 's3://b/exports/export-ami-1.vmdk', sizeBytes: 71_168 }],
  },
];
const RESULT: RunResult = {
  command: 'apply',
  ok: true,
  entries: [{ entry: 'exports.golden-aws', kind: 'export', cloud: 'aws', outcome: 'succeeded' }],
  artifacts: [{ entry: 'exports.golden-aws', cloud: 'aws', uri: 's3://b/exports/export-ami-1.vmdk', format: 'vmdk', sizeBytes: 71_168 }],
  problems: [],
};

test('plain output: the plan, one timestamped line per event, a progress line only on change, the artifact table', (t) => {
  const out = new Buffered();
  const renderer = new PlainRenderer(out, () => new Date('2024-01-01T12:00:01Z'));
  for (const event of EVENTS) renderer.event(event);
  renderer.result(RESULT);
  renderer.close();
  const lines = out.text.split('\n');
  t.true(lines.includes('Plan: 9 to add, 0 to change, 0 to replace, 0 to destroy, 0 to resume.'));
  t.true(lines.includes('12:00:01 buckets.aws-bucket (aws): created demo-aws-exports'));
  t.true(lines.includes('12:00:01 exports.golden-aws (aws): started export task export-ami-1'));
  t.is(lines.filter((line) => line === '12:00:01 exports.golden-aws (aws): running 40% (active: converting)').length, 1, 'an unchanged snapshot is not repeated');
  t.true(lines.includes('12:00:01 exports.golden-aws (aws): succeeded s3://b/exports/export-ami-1.vmdk'));
  t.true(lines.some((line) => /^exports\.golden-aws\s+aws\s+s3:\/\/b\/exports\/export-ami-1\.vmdk\s+vmdk\s+69\.5 KiB$/.test(line)));
  t.true(lines.includes('Apply complete: 1 succeeded.'));
  t.false(out.text.includes('\u001b['), 'no terminal escapes in plain output');
});

test('--json output: one parseable object per line, the last one the result', (t) => {
  const out = new Buffered();
  const renderer = new JsonRenderer(out);
  for (const event of EVENTS) renderer.event(event);
  renderer.result(RESULT);
  const lines = out.text.trim().split('\n').map((line) => JSON.parse(line) as { type: string });
  t.is(lines.length, EVENTS.length + 1);
  t.deepEqual(lines.slice(0, -1), EVENTS as unknown[]);
  t.deepEqual(lines[lines.length - 1], { type: 'result', ...RESULT });
});

test('terminal output: progress bars per task, then the artifact table', (t) => {
  const out = new Buffered(true);
  const renderer = new ProgressRenderer(out, 20);
  for (const event of EVENTS) renderer.event(event);
  renderer.result(RESULT);
  renderer.close();
  const plain = out.text.replace(new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, 'g'), '');
  t.regex(plain, /exports\.golden-aws\s+\|[^|]+\|\s+40% active: converting/);
  t.regex(plain, /exports\.golden-aws\s+\|[^|]+\|\s+100% succeeded/);
  t.regex(plain, /Plan: 9 to add/);
  t.regex(plain, /Apply complete: 1 succeeded\./);
  t.true(out.text.includes('\u001b['), 'a terminal gets escape sequences');
});

test('the artifact table lists every artifact with a readable size', (t) => {
  t.is(
    renderArtifactTable([
      { entry: 'exports.a', cloud: 'aws', uri: 's3://b/a.vmdk', format: 'vmdk', sizeBytes: 512 },
      { entry: 'imports.b', cloud: 'aws', uri: 'ami-1', format: 'image' },
    ]),
    ['ENTRY      CLOUD  URI            FORMAT  SIZE', '---------  -----  -------------  ------  -----', 'exports.a  aws    s3://b/a.vmdk  vmdk    512 B', 'imports.b  aws    ami-1          image   -', ''].join('\n'),
  );
});
