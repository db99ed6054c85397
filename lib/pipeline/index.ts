/**
 * YAML pipelines: the format (`schema/pipeline.schema.json`), loading and checking a file with positions, planning
 * against a state file, and running apply / destroy / status. The `imageport` CLI (`bin/imageport.ts`) is a thin
 * layer over these; other front ends (the Pulumi pipeline component) reuse the loader.
 */
export * from './duration';
export * from './load-pipeline';
export * from './pipeline-document';
export * from './pipeline-issue';
export * from './resolve-pipeline';
export * from './resolved-pipeline';
export * from './source-position';
export * from './yaml-document';
export * from './document-locator';
export * from './plan/plan-types';
export * from './plan/planner';
export * from './plan/render-plan';
export * from './plan/spec-changes';
export * from './state/pipeline-state';
export * from './state/state-store';
export * from './run/apply-runner';
export * from './run/artifact-check';
export * from './run/cloud-access';
export * from './run/destroy-runner';
export * from './run/pipeline-status';
export * from './run/run-events';
export * from './run/wait-settings';
export * from './render/run-renderer';
export * from './render/progress-renderer';
export * from './local/local-clouds';
