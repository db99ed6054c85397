/** YAML pipelines declared with Pulumi: load a pipeline file with the core's loader, declare its resources. */
export * from './load-pipeline';
export * from './pipeline-resources';
export { type PipelineProviders } from './pipeline-providers';
