/**
 * Peer checks of the CDK example apps with independent tools: the CDK CLI synthesizes them (`examples/cdk/app.ts`
 * through `cdk.json`, `examples/cdk/pipeline-app.ts` through `--app`, for two pipeline files), cfn-lint finds no
 * error in any template, and cdk-nag's AwsSolutions pack reports no finding that is not acknowledged with a written
 * reason.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ExportAndImportStack } from '../../examples/cdk/export-and-import-stack';
import { loadPipelineForCdk } from '../../examples/cdk/load-pipeline';
import { LongExportStack } from '../../examples/cdk/long-export-stack';
import { PipelineStack } from '../../examples/cdk/pipeline-stack';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');
const outdir = mkdtempSync(join(tmpdir(), 'imageport-cdk-synth-'));
test.after.always(() => rmSync(outdir, { recursive: true, force: true }));

const PIPELINE_APP = 'npx tsx examples/cdk/pipeline-app.ts';
const PIPELINES = ['examples/pipelines/quickstart.yaml', 'examples/pipelines/export-then-import.yaml'];

interface Synthesized {
  /** Template files, relative to `outdir`. */
  readonly templates: string[];
  /** What the CDK CLI printed on stderr, per app. */
  readonly stderr: Record<string, string>;
}

let synthesized: Promise<Synthesized> | undefined;

/** `cdk synth` of the example app (cdk.json) and of the pipeline app for each pipeline file, one after the other. */
function synthOnce(): Promise<Synthesized> {
  synthesized ??= (async () => {
    const stderr: Record<string, string> = {};
    const synth = async (name: string, args: string[]) => {
      const result = await run('npx', ['cdk', 'synth', '--quiet', '--output', join(outdir, name), ...args], {
        cwd: root,
        maxBuffer: 64 * 1024 * 1024,
        timeout: 240_000,
      });
      stderr[name] = result.stderr;
    };
    await synth('app', []);
    for (const [index, pipeline] of PIPELINES.entries()) await synth(`pipeline-${index}`, ['--app', PIPELINE_APP, '-c', `pipeline=${pipeline}`]);
    const templates = readdirSync(outdir).flatMap((dir) =>
      readdirSync(join(outdir, dir))
        .filter((f) => f.endsWith('.template.json'))
        .map((f) => join(dir, f)),
    );
    return { templates, stderr };
  })();
  return synthesized;
}

test.serial('cdk synth of examples/cdk and of the pipeline app succeeds with the pinned CDK CLI', async (t) => {
  const { stdout } = await run('npx', ['cdk', '--version'], { cwd: root });
  t.regex(stdout, /^2\.(\d+)\./);
  t.true(Number(/^2\.(\d+)\./.exec(stdout)![1]) >= 1148, `CDK CLI ${stdout.trim()} is older than 2.1148`);
  const { templates } = await synthOnce();
  t.deepEqual(templates.sort(), [
    'app/ImageportExportAndImport.template.json',
    'app/ImageportLongExport.template.json',
    'pipeline-0/ImageportPipeline-quickstart.template.json',
    'pipeline-1/ImageportPipeline-export-then-import.template.json',
  ]);
});

test.serial('the pipeline app declares the AWS entries and prints each skipped entry as a warning', async (t) => {
  const { stderr } = await synthOnce();
  const quickstart = JSON.parse(readFileSync(join(outdir, 'pipeline-0', 'ImageportPipeline-quickstart.template.json'), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    Outputs: Record<string, unknown>;
  };
  const exports = Object.values(quickstart.Resources).filter((r) => r.Type === 'Custom::ImageportExport' && r.Properties.Stage === 'start');
  t.deepEqual(
    exports.map((r) => r.Properties.ImageId),
    ['ami-0600d000000000001'],
  );
  t.deepEqual(Object.keys(quickstart.Outputs).filter((k) => k.startsWith('Export')), ['Exportgoldenaws']);
  for (const key of ['exports.golden-alicloud', 'exports.golden-jdcloud', 'buckets.alicloud-exports', 'roles.jdcloud-export']) {
    t.true(stderr['pipeline-0'].includes(`${key} (`) && stderr['pipeline-0'].includes('was not declared'), `${key} reported on stderr`);
  }
  t.notRegex(stderr['pipeline-1'], /was not declared/, 'an AWS-only pipeline skips nothing');
});

test.serial('cfn-lint reports no error on any synthesized template', async (t) => {
  const { templates } = await synthOnce();
  for (const template of templates) {
    // cfn-lint's exit code is a bit mask: 2 = error, 4 = warning, 8 = informational.
    const code = await run('cfn-lint', [join(outdir, template)]).then(
      () => 0,
      (error: { code?: number; stdout?: string }) => {
        if (typeof error.code !== 'number') throw error;
        if (error.code & 2) t.log(error.stdout);
        return error.code;
      },
    );
    t.is(code & 2, 0, `${template} has cfn-lint errors`);
  }
});

test('cdk-nag AwsSolutions finds nothing unacknowledged in the example stacks', (t) => {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'imageport-cdk-nag-')) });
  new ExportAndImportStack(app, 'ExportAndImport', { goldenImageId: 'ami-0123456789abcdef0' });
  new LongExportStack(app, 'LongExport', { imageId: 'ami-0123456789abcdef0' });
  for (const [index, file] of PIPELINES.entries()) {
    const pipeline = loadPipelineForCdk(join(root, file));
    new PipelineStack(app, `Pipeline${index}`, { pipeline, env: { region: pipeline.clouds.get('aws')!.region } });
  }
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  t.notThrows(() => app.synth());
  rmSync(app.outdir, { recursive: true, force: true });
});

test('fails cdk-nag on an unhardened bucket (the pack really runs)', (t) => {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), 'imageport-cdk-nag-')) });
  new s3.Bucket(new Stack(app, 'Plain'), 'Bucket');
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  t.throws(() => app.synth());
  rmSync(app.outdir, { recursive: true, force: true });
});
