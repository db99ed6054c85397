/**
 * The Lambda handler of `ImageExport` and `ImageImport`, bundled at build time into `dist/lambda/image-task`
 * (AWS SDK v3 external: the Lambda runtime ships it). Entry points:
 * - `onEvent` / `isComplete`: the custom-resource Provider framework's user handlers;
 * - `poll`: one step of the long-wait strategy's Step Functions poller.
 */
export { onEvent } from './on-event';
export { isComplete } from './is-complete';
export { poll } from './poll';
