/**
 * The CDK example app (`npx cdk synth` from the repository root; `cdk.json` runs this file with tsx).
 *
 * Context: `goldenImageId` (default `ami-0123456789abcdef0`) and `largeImageId` (default the same).
 */
import { App } from 'aws-cdk-lib';
import { ExportAndImportStack } from './export-and-import-stack';
import { LongExportStack } from './long-export-stack';

const app = new App();
const goldenImageId = (app.node.tryGetContext('goldenImageId') as string | undefined) ?? 'ami-0123456789abcdef0';
const largeImageId = (app.node.tryGetContext('largeImageId') as string | undefined) ?? goldenImageId;
new ExportAndImportStack(app, 'ImageportExportAndImport', { goldenImageId });
new LongExportStack(app, 'ImageportLongExport', { imageId: largeImageId });
app.synth();
