import { type AccessKeyPair } from '../types';

/** The emulated AWS account. */
export const AWS_ACCOUNT_ID = '123456789012';

/** Another account: owner of the "shared with you" catalog AMI. */
export const AWS_OTHER_ACCOUNT_ID = '210987654321';

/** The only key pair the emulated AWS accepts (fixed, so a restarted emulator keeps working with the same environment). */
export const AWS_CREDENTIALS: AccessKeyPair = {
  accessKeyId: 'AKIAIMAGEPORTLOCAL01',
  secretAccessKey: 'ImagePortEmulatorSecretAccessKey00000001',
};

/** IAM user the key belongs to (STS GetCallerIdentity). */
export const AWS_CALLER_USER = 'imageport-emulator';

/** Stable unique id of that user. */
export const AWS_CALLER_USER_ID = 'AIDAIMAGEPORTEMULATOR';
