// Declares a YAML pipeline with Pulumi: the same file `imageport apply` runs, checked by the same loader (schema,
// references, each cloud's rules; every problem at once, with file:line:col), becomes Pulumi components: one per
// role, bucket, export and import, named by their keys in the file.
//
// In your own project: `import * as imageport from 'imageport/pulumi';`
import * as path from 'node:path';
import * as pulumi from '@pulumi/pulumi';
import * as imageport from '../../../pulumi';

const config = new pulumi.Config();
const file = path.resolve(__dirname, config.get('pipelineFile') ?? '../../pipelines/quickstart.yaml');
const pipeline = imageport.loadPipeline(file);
const resources = new imageport.PipelineResources(pipeline.name, { pipeline });

export const exportUris = Object.fromEntries(Object.entries(resources.exports).map(([key, component]) => [key, component.uri]));
export const importedImages = Object.fromEntries(Object.entries(resources.imports).map(([key, component]) => [key, component.imageId]));
