import test from 'ava';
import { type Image } from '@aws-sdk/client-ec2';
import { checkExportableImage } from '../../../../lib/clouds/aws/image-checks';

const context = { imageId: 'ami-0123456789abcdef0', region: 'eu-west-2', accountId: '111122223333' };
const good: Image = {
  ImageId: context.imageId,
  State: 'available',
  OwnerId: '111122223333',
  PlatformDetails: 'Linux/UNIX',
  UsageOperation: 'RunInstances',
  BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: false, VolumeSize: 8 } }],
};

function codes(image: Image | undefined, ctx = context): string[] {
  return checkExportableImage(image, ctx).map((p) => p.code);
}

test('an available, own, unencrypted Linux AMI passes', (t) => {
  t.deepEqual(codes(good), []);
});

test('fails a missing AMI, naming the region', (t) => {
  const [problem] = checkExportableImage(undefined, context);
  t.is(problem.code, 'image.missing');
  t.regex(problem.message, /ami-0123456789abcdef0 does not exist in eu-west-2/);
});

test('fails each documented refusal with its own code', (t) => {
  t.deepEqual(codes({ ...good, State: 'pending' }), ['image.state']);
  t.deepEqual(codes({ ...good, BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeSize: 8 } }] }), ['image.encrypted']);
  t.deepEqual(codes({ ...good, ProductCodes: [{ ProductCodeId: 'abc', ProductCodeType: 'marketplace' }] }), ['image.marketplace']);
  t.deepEqual(codes({ ...good, Platform: 'windows' as never, PlatformDetails: 'Windows', UsageOperation: 'RunInstances:0002' }), ['image.third-party']);
  t.deepEqual(codes({ ...good, PlatformDetails: 'Windows with SQL Server Standard' }), ['image.third-party']);
  t.deepEqual(codes({ ...good, OwnerId: '999988887777' }), ['image.shared']);
  t.deepEqual(codes({ ...good, BlockDeviceMappings: [{ DeviceName: '/dev/xvdb', Ebs: { VolumeSize: 1025 } }] }), ['image.volume-too-large']);
  t.deepEqual(codes({ ...good, BlockDeviceMappings: [{ DeviceName: '/dev/xvdb', Ebs: { VolumeSize: 1024 } }] }), []);
});

test('the shared-AMI check needs the account id', (t) => {
  t.deepEqual(codes({ ...good, OwnerId: '999988887777' }, { ...context, accountId: undefined as never }), []);
});

test('reports several refusals of one AMI at once', (t) => {
  const image = { ...good, State: 'failed' as const, OwnerId: '999988887777', ProductCodes: [{ ProductCodeId: 'x', ProductCodeType: 'marketplace' as const }] };
  t.deepEqual(codes(image), ['image.state', 'image.marketplace', 'image.shared']);
});
