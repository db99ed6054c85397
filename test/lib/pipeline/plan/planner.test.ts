import test from 'ava';
import { type ExportSpec } from '../../../../lib/model/export-spec';
import { planPipeline } from '../../../../lib/pipeline/plan/planner';
import { type LiveView } from '../../../../lib/pipeline/plan/plan-types';
import { renderPlan } from '../../../../lib/pipeline/plan/render-plan';
import { exportToken } from '../../../../lib/pipeline/plan/spec-changes';
import { emptyState, specDigest, type ExportRecord, type PipelineState } from '../../../../lib/pipeline/state/pipeline-state';
import { check, VALID_PIPELINE } from '../pipeline-test-support';

function resolved(text = VALID_PIPELINE) {
  const result = check(text);
  if (!result.pipeline) throw new Error(result.issues.map((i) => `${i.path} ${i.rule}`).join('\n'));
  return result.pipeline;
}

/** A state in which everything of VALID_PIPELINE was applied and succeeded. */
function appliedState(): PipelineState {
  const pipeline = resolved();
  const state = emptyState('demo');
  const exportsRecord: Record<string, ExportRecord> = {};
  for (const entry of pipeline.exports) {
    exportsRecord[entry.key] = {
      kind: 'export',
      cloud: entry.cloud,
      spec: entry.spec,
      token: exportToken('demo', entry.key, entry.spec, 1),
      digest: specDigest(entry.spec),
      generation: 1,
      removal: 'retain',
      status: 'succeeded',
      task: { cloud: entry.cloud, region: entry.spec.region, kind: 'export', taskId: `task-${entry.key}` },
      artifacts: [{ bucket: entry.spec.bucket, key: `${entry.key}.img`, format: 'vmdk', uri: `s3://${entry.spec.bucket}/${entry.key}.img`, sizeBytes: 10 }],
      startedAt: '2024-01-01T00:00:00Z',
      finishedAt: '2024-01-01T00:10:00Z',
    };
  }
  return {
    ...state,
    roles: Object.fromEntries(pipeline.roles.map((role) => [role.key, { spec: role.spec, region: 'r', createdByPipeline: true }])),
    buckets: Object.fromEntries(pipeline.buckets.map((bucket) => [bucket.key, { spec: bucket.spec, createdByPipeline: true }])),
    exports: exportsRecord,
  };
}

function kinds(plan: ReturnType<typeof planPipeline>): string[] {
  return plan.actions.filter((a) => a.kind !== 'none').map((a) => `${a.kind} ${a.resource}s.${a.key}`);
}

test('plans to create everything on an empty state', (t) => {
  const plan = planPipeline(resolved(), emptyState('demo'));
  t.deepEqual(kinds(plan), [
    'create buckets.aws-bucket',
    'create buckets.ali-bucket',
    'create buckets.jd-bucket',
    'create roles.aws-role',
    'create roles.ali-role',
    'create roles.jd-role',
    'create exports.golden-aws',
    'create exports.golden-ali',
    'create exports.golden-jd',
  ]);
  t.regex(renderPlan(plan), /Plan: 9 to add, 0 to change, 0 to replace, 0 to destroy, 0 to resume\./);
});

test('plans nothing when the state matches the file', (t) => {
  const plan = planPipeline(resolved(), appliedState());
  t.deepEqual(kinds(plan), []);
  t.is(renderPlan(plan), 'No changes. The clouds match the pipeline.\n');
});

test('a changed format replaces the export, naming the field', (t) => {
  const plan = planPipeline(resolved(VALID_PIPELINE.replace('format: vmdk', 'format: vhd')), appliedState());
  t.deepEqual(kinds(plan), ['replace exports.golden-aws']);
  const action = plan.actions.find((a) => a.kind === 'replace')!;
  t.deepEqual(action.reasons, ['format: "vmdk" -> "vhd" forces replacement']);
  const text = renderPlan(plan);
  t.regex(text, /-\/\+ export "golden-aws"/);
  t.regex(text, /format: "vmdk" -> "vhd" forces replacement/);
});

test('a format written in another letter case is not a change', (t) => {
  t.deepEqual(kinds(planPipeline(resolved(VALID_PIPELINE.replace('format: vmdk', 'format: VMDK')), appliedState())), []);
});

test('a changed bucket of an export changes the role scope and replaces the export', (t) => {
  const text = VALID_PIPELINE.replace('name: demo-aws-exports', 'name: demo-aws-exports-2');
  const plan = planPipeline(resolved(text), appliedState());
  t.deepEqual(kinds(plan), ['replace buckets.aws-bucket', 'update roles.aws-role', 'replace exports.golden-aws']);
  t.deepEqual(plan.actions.find((a) => a.resource === 'export' && a.kind === 'replace')?.reasons, [
    'bucket: "demo-aws-exports" -> "demo-aws-exports-2" forces replacement',
  ]);
});

test('tags, description and removal update in place', (t) => {
  const text = VALID_PIPELINE.replace('prefix: exports/', 'prefix: exports/\n    description: golden image\n    tags: { team: platform }\n    removal: destroy');
  const plan = planPipeline(resolved(text), appliedState());
  t.deepEqual(kinds(plan), ['update exports.golden-aws']);
  t.deepEqual(plan.actions.find((a) => a.kind === 'update')!.reasons, [
    'description: (missing) -> "golden image"',
    'tags: (missing) -> {"team":"platform"}',
    'removal: "retain" -> "destroy"',
  ]);
  t.regex(renderPlan(plan), /~ export "golden-aws"/);
});

test('an entry removed from the file is deleted; its objects are kept unless removal is destroy', (t) => {
  const state = appliedState();
  const text = VALID_PIPELINE.split('  golden-jd:')[0];
  const plan = planPipeline(resolved(text.replace(/ {2}jd-role:[\s\S]*?roleName: imageport-export\n/, '').replace(/ {2}jd-bucket:\n {4}cloud: jdcloud\n {4}name: demo-jd-exports\n/, '')), state);
  t.deepEqual(kinds(plan), ['delete exports.golden-jd', 'delete roles.jd-role', 'delete buckets.jd-bucket']);
  t.deepEqual(plan.actions.find((a) => a.resource === 'export' && a.kind === 'delete')!.reasons, ['keep 1 exported object(s) (removal: retain)']);
  t.regex(renderPlan(plan), /Plan: 0 to add, 0 to change, 0 to replace, 3 to destroy, 0 to resume\./);
});

test('a running task is resumed, a failed one replaced, a missing artifact replaced', (t) => {
  const state = appliedState();
  const running: PipelineState = { ...state, exports: { ...state.exports, 'golden-aws': { ...state.exports['golden-aws'], status: 'running', artifacts: undefined } } };
  const task = running.exports['golden-aws'].task!;
  const live: LiveView = new Map([['exports/golden-aws', { snapshot: { ref: task, state: 'running', progress: 40, rawStatus: 'active', artifacts: [] } }]]);
  const plan = planPipeline(resolved(), running, live);
  t.deepEqual(kinds(plan), ['resume exports.golden-aws']);
  t.regex(plan.actions.find((a) => a.kind === 'resume')!.reasons[0], /still running \(active 40%\)/);

  const failedLive: LiveView = new Map([
    ['exports/golden-aws', { snapshot: { ref: task, state: 'failed', rawStatus: 'deleted', artifacts: [], failure: { code: 'ClientError', message: 'disk broken' } } }],
  ]);
  const replaced = planPipeline(resolved(), running, failedLive);
  t.deepEqual(kinds(replaced), ['replace exports.golden-aws']);
  t.regex(replaced.actions.find((a) => a.kind === 'replace')!.reasons[0], /ended failed: ClientError: disk broken/);

  const artifact = state.exports['golden-ali'].artifacts![0];
  const drift = planPipeline(resolved(), state, new Map([['exports/golden-ali', { missingArtifacts: [artifact] }]]));
  t.deepEqual(kinds(drift), ['replace exports.golden-ali']);
  t.deepEqual(drift.actions.find((a) => a.kind === 'replace')!.reasons, [`${artifact.uri} is gone from its bucket (changed outside imageport)`]);
});

test('a start recorded but never confirmed is resumed (the token makes it safe)', (t) => {
  const state = appliedState();
  const starting: PipelineState = { ...state, exports: { ...state.exports, 'golden-jd': { ...state.exports['golden-jd'], status: 'starting', task: undefined } } };
  t.deepEqual(kinds(planPipeline(resolved(), starting)), ['resume exports.golden-jd']);
});

test('an import of an export is replaced when the export is replaced', (t) => {
  const text = `name: demo
clouds:
  aws: { region: us-east-1 }
buckets:
  b: { cloud: aws, name: demo-bucket }
exports:
  first: { cloud: aws, imageId: ami-0123456789abcdef0, format: vmdk, bucket: b }
imports:
  back:
    cloud: aws
    disks:
      - fromExport: first
`;
  const pipeline = resolved(text);
  const first = pipeline.exports[0];
  const base = appliedStateFor(first.spec);
  const importSpec = { ...pipeline.imports[0].spec, disks: [{ format: 'vmdk', bucket: 'demo-bucket', key: 'first.img' }] };
  const state: PipelineState = {
    ...base,
    imports: {
      back: {
        kind: 'import',
        cloud: 'aws',
        spec: importSpec,
        token: 't',
        digest: specDigest(importSpec),
        generation: 1,
        removal: 'destroy',
        status: 'succeeded',
        imageId: 'ami-00000000000000001',
        startedAt: '2024-01-01T00:00:00Z',
      },
    },
  };
  t.deepEqual(kinds(planPipeline(pipeline, state)), []);
  const changed = resolved(text.replace('format: vmdk', 'format: vhd'));
  const plan = planPipeline(changed, state);
  t.deepEqual(kinds(plan), ['replace exports.first', 'replace imports.back']);
  t.deepEqual(plan.actions.find((a) => a.resource === 'import')!.reasons, ['disks[0].fromExport: exports.first is replaced, so its new file is imported again']);
});

function appliedStateFor(spec: ExportSpec): PipelineState {
  return {
    ...emptyState('demo'),
    buckets: { b: { spec: { cloud: 'aws', region: 'us-east-1', name: 'demo-bucket' }, createdByPipeline: true } },
    exports: {
      first: {
        kind: 'export',
        cloud: 'aws',
        spec,
        token: 't',
        digest: specDigest(spec),
        generation: 1,
        removal: 'retain',
        status: 'succeeded',
        artifacts: [{ bucket: 'demo-bucket', key: 'first.img', format: 'vmdk', uri: 's3://demo-bucket/first.img' }],
        startedAt: '2024-01-01T00:00:00Z',
      },
    },
  };
}

test('export tokens are deterministic, change with replace-forcing fields and generation, not with tags', (t) => {
  const spec: ExportSpec = { cloud: 'aws', region: 'us-east-1', imageId: 'ami-1', format: 'vmdk', bucket: 'b' };
  const token = exportToken('demo', 'e', spec, 1);
  t.regex(token, /^ip-[0-9a-f]{40}$/);
  t.is(exportToken('demo', 'e', { ...spec, format: 'VMDK' }, 1), token);
  t.is(exportToken('demo', 'e', { ...spec, tags: { a: 'b' }, description: 'x' }, 1), token);
  t.not(exportToken('demo', 'e', { ...spec, format: 'vhd' }, 1), token);
  t.not(exportToken('demo', 'other', spec, 1), token);
  t.not(exportToken('other', 'e', spec, 1), token);
  t.not(exportToken('demo', 'e', spec, 2), token);
  t.is(exportToken('demo', 'e', spec, 1, 'file-token'), 'file-token');
});
