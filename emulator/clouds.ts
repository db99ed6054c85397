import { alicloudCloud } from './alicloud/alicloud-cloud';
import { awsCloud } from './aws/aws-cloud';
import { type CloudModule } from './core/cloud-module';
import { jdCloud } from './jdcloud/jd-cloud';

/**
 * Every cloud the emulator runs, in start order. Adding a cloud: implement a {@link CloudModule} in
 * `emulator/<cloud>/` and append it here (see `emulator/README.md`).
 */
export const CLOUD_MODULES: readonly CloudModule[] = [awsCloud, alicloudCloud, jdCloud];
