import test from 'ava';
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { ImageExportBucket } from '../../constructs';

function newStack(): Stack {
  return new Stack(new App(), 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
}

test('is SSE-S3, owner-enforced, private, TLS-only and retained by default', (t) => {
  // GIVEN
  const stack = newStack();
  // WHEN
  new ImageExportBucket(stack, 'Exports');
  // THEN
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::S3::Bucket', {
    BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
    OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
  });
  template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
  template.hasResourceProperties('AWS::S3::BucketPolicy', {
    PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
  });
  t.pass();
});

test('expires and transitions exports under a prefix', (t) => {
  const stack = newStack();
  new ImageExportBucket(stack, 'Exports', {
    expireExportsAfter: Duration.days(90),
    transitionExportsAfter: Duration.days(30),
    transitionStorageClass: s3.StorageClass.DEEP_ARCHIVE,
    lifecyclePrefix: 'exports/',
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const template = Template.fromStack(stack);
  template.hasResourceProperties('AWS::S3::Bucket', {
    LifecycleConfiguration: {
      Rules: [
        Match.objectLike({
          Prefix: 'exports/',
          ExpirationInDays: 90,
          Status: 'Enabled',
          Transitions: [{ StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 30 }],
        }),
      ],
    },
  });
  template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Delete' });
  t.pass();
});

test('fails on lifecycle settings that cannot work, reporting all at once', (t) => {
  const stack = newStack();
  const error = t.throws(
    () =>
      new ImageExportBucket(stack, 'Exports', {
        expireExportsAfter: Duration.hours(36),
        transitionExportsAfter: Duration.days(10),
        transitionStorageClass: s3.StorageClass.GLACIER,
      }),
  );
  t.regex(error.message, /ImageExportBucket "Exports" is invalid/);
  t.regex(error.message, /expireExportsAfter: "1 day 12 hours" must be a whole number of days/);
});

test('fails when the transition does not come before the expiry', (t) => {
  const stack = newStack();
  t.throws(() => new ImageExportBucket(stack, 'Exports', { expireExportsAfter: Duration.days(10), transitionExportsAfter: Duration.days(10) }), {
    message: /transitionExportsAfter: "10 days" must be shorter than expireExportsAfter \(10 days\)/,
  });
});
