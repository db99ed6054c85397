import { AcsApiError } from './acs-error';
import { type EcsContext } from './ecs-context';
import { deleteImage } from './ecs-delete-image';
import { exportImage } from './ecs-export';
import { describeImages } from './ecs-images';
import { importImage } from './ecs-import';
import { listTagResources, tagResources, untagResources } from './ecs-tags';
import { cancelTask, describeTaskAttribute, describeTasks, settleTasks } from './ecs-tasks';

/** The ECS actions the emulator answers. */
export const ECS_ACTIONS = [
  'ExportImage',
  'ImportImage',
  'DescribeTasks',
  'DescribeTaskAttribute',
  'CancelTask',
  'DescribeImages',
  'DeleteImage',
  'TagResources',
  'UntagResources',
  'ListTagResources',
] as const;

/**
 * Answers one ECS (2014-05-26) action after bringing every task up to the clock.
 *
 * @param taskFault an injected task fault for the actions that create a task
 */
export function handleEcsAction(ctx: EcsContext, action: string, params: ReadonlyMap<string, string>, taskFault?: string): Record<string, unknown> {
  settleTasks(ctx);
  switch (action) {
    case 'ExportImage':
      return exportImage(ctx, params, taskFault);
    case 'ImportImage':
      return importImage(ctx, params, taskFault);
    case 'DescribeTasks':
      return describeTasks(ctx, params);
    case 'DescribeTaskAttribute':
      return describeTaskAttribute(ctx, params);
    case 'CancelTask':
      return cancelTask(ctx, params);
    case 'DescribeImages':
      return describeImages(ctx, params);
    case 'DeleteImage':
      return deleteImage(ctx, params);
    case 'TagResources':
      return tagResources(ctx, params);
    case 'UntagResources':
      return untagResources(ctx, params);
    case 'ListTagResources':
      return listTagResources(ctx, params);
    default:
      throw new AcsApiError(404, 'InvalidApi.NotFound', 'Specified api is not found, please check your url and method.');
  }
}
