/**
 * Peer checks of the CDK example app with independent tools: the CDK CLI synthesizes it, cfn-lint finds no error in
 * any template, and cdk-nag's AwsSolutions pack reports no finding that is not acknowledged with a written reason.
 */
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ExportAndImportStack } from '../../examples/cdk/export-and-import-stack';
import { LongExportStack } from '../../examples/cdk/long-export-stack';

const run = promisify(execFile);
const root = join(__dirname, '..', '..');
const outdir = mkdtempSync(join(tmpdir(), 'imageport-cdk-synth-'));
test.after.always(() => rmSync(outdir, { recursive: true, force: true }));

let synthesized: Promise<string[]> | undefined;
function synthOnce(): Promise<string[]> {
  synthesized ??= run('npx', ['cdk', 'synth', '--quiet', '--output', outdir], { cwd: root, maxBuffer: 64 * 1024 * 1024, timeout: 240_000 }).then(() =>
    readdirSync(outdir).filter((f) => f.endsWith('.template.json')),
  );
  return synthesized;
}

test.serial('cdk synth of examples/cdk succeeds with the pinned CDK CLI', async (t) => {
  const { stdout } = await run('npx', ['cdk', '--version'], { cwd: root });
  t.regex(stdout, /^2\.(\d+)\./);
  t.true(Number(/^2\.(\d+)\./.exec(stdout)![1]) >= 1148, `CDK CLI ${stdout.trim()} is older than 2.1148`);
  const templates = await synthOnce();
  t.deepEqual(templates.sort(), ['ImageportExportAndImport.template.json', 'ImageportLongExport.template.json']);
});

test.serial('cfn-lint reports no error on any synthesized template', async (t) => {
  const templates = await synthOnce();
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
