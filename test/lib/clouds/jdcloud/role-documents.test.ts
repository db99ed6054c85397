import test from 'ava';
import {
  defaultJdTrustPolicy,
  jdExportPolicyDocument,
  jdPolicyName,
  jdRoleDocuments,
} from '../../../../lib/clouds/jdcloud/role-documents';
import { policiesAllow, trustsDiskService } from '../../../../lib/clouds/jdcloud/policy-check';

test('the export policy is exactly the JD export guide template', (t) => {
  // Verbatim from the JD export guide (seed 002), account and bucket replaced.
  const guide = {
    Version: '3',
    Statement: [
      { Effect: 'Allow', Action: ['oss:ListAllMyBuckets'], Resource: ['*'] },
      {
        Effect: 'Allow',
        Action: ['oss:GetObject', 'oss:AbortMultipartUpload', 'oss:PutObject', 'oss:ListMultipartUploadParts'],
        Resource: ['jrn:oss:*:324100000385:image-export-bucket/*'],
      },
    ],
  };
  t.deepEqual(jdExportPolicyDocument(['image-export-bucket'], '324100000385'), guide);
  t.is(JSON.stringify(jdExportPolicyDocument(['image-export-bucket'], '324100000385')), JSON.stringify(guide));
});

test('the export policy lists every bucket in use once, and uses * without an account id', (t) => {
  const doc = jdExportPolicyDocument(['b2', 'b1', 'b2'], undefined) as { Statement: { Resource: string[] }[] };
  t.deepEqual(doc.Statement[1].Resource, ['jrn:oss:*:*:b1/*', 'jrn:oss:*:*:b2/*']);
});

test('role documents: default name, derived policy name, configurable trust', (t) => {
  const docs = jdRoleDocuments({ cloud: 'jdcloud', purpose: 'export', exportBuckets: ['b1'], accountId: '111122223333' });
  t.is(docs.roleName, 'imageport-export');
  t.is(docs.policies[0].name, 'imageport-export-policy');
  t.deepEqual(docs.trustPolicy, defaultJdTrustPolicy());
  const custom = { Version: '3', Statement: [{ Effect: 'Allow', Principal: 'jrn:iam::1:root', Action: 'sts:assumeRole' }] };
  t.deepEqual(jdRoleDocuments({ cloud: 'jdcloud', purpose: 'export', trustPolicy: custom }).trustPolicy, custom);
  t.is(jdPolicyName({ cloud: 'jdcloud', purpose: 'export', roleName: 'r'.repeat(64) }).length, 64);
  t.is(jdPolicyName({ cloud: 'jdcloud', purpose: 'export', policyName: 'image-export-policy' }), 'image-export-policy');
});

test('the default trust document names the cloud-disk service code', (t) => {
  t.true(trustsDiskService(defaultJdTrustPolicy()));
  t.true(trustsDiskService(JSON.stringify(defaultJdTrustPolicy())));
  t.true(trustsDiskService({ Statement: [{ Effect: 'Allow', Principal: { Service: 'disk.jdcloud.com' } }] }));
});

test('rejects trust documents that do not name the disk service', (t) => {
  t.false(trustsDiskService({ Version: '3', Statement: [{ Effect: 'Allow', Principal: 'jrn:iam::859150329790:root', Action: 'sts:assumeRole' }] }));
  t.false(trustsDiskService({ Statement: [{ Effect: 'Deny', Principal: { Service: ['disk'] } }] }));
  t.false(trustsDiskService({ Statement: [{ Effect: 'Allow', Principal: { Service: ['diskless'] } }] }));
  t.false(trustsDiskService('not json'));
  t.false(trustsDiskService(undefined));
});

test('the guide policy allows PutObject on its bucket and nowhere else', (t) => {
  const doc = jdExportPolicyDocument(['image-export-bucket'], '324100000385');
  const target = { bucket: 'image-export-bucket', key: 'p_exportImage_img-1', region: 'cn-east-2', accountId: '324100000385' };
  t.true(policiesAllow([doc], 'oss:PutObject', target));
  t.true(policiesAllow([JSON.stringify(doc)], 'OSS:putobject', target));
  t.false(policiesAllow([doc], 'oss:PutObject', { ...target, bucket: 'other' }));
  t.false(policiesAllow([doc], 'oss:PutObject', { ...target, accountId: '999999999999' }));
  t.false(policiesAllow([doc], 'oss:DeleteObject', target));
  t.true(policiesAllow([doc], 'oss:PutObject', { ...target, accountId: undefined }));
});

test('rejects when a Deny matches, and accepts wildcards', (t) => {
  const target = { bucket: 'b', key: 'k', region: 'cn-east-2' };
  const allowAll = { Version: '3', Statement: [{ Effect: 'Allow', Action: 'oss:*', Resource: 'jrn:oss:*:*:*' }] };
  t.true(policiesAllow([allowAll], 'oss:PutObject', target));
  const deny = { Version: '3', Statement: [{ Effect: 'Deny', Action: ['oss:PutObject'], Resource: ['jrn:oss:*:*:b/*'] }] };
  t.false(policiesAllow([allowAll, deny], 'oss:PutObject', target));
  t.false(policiesAllow([], 'oss:PutObject', target));
});
