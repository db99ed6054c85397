import test from 'ava';
import {
  defaultForcePathStyle,
  jdcloudExportOssUrl,
  requiresVirtualHostedStyle,
  s3ProtocolEndpoint,
} from '../../../lib/storage/endpoints';

test('public and internal S3-protocol endpoints of each cloud', (t) => {
  t.is(s3ProtocolEndpoint('aws', 'eu-west-1'), undefined, 'the SDK default');
  t.is(s3ProtocolEndpoint('alicloud', 'cn-hangzhou'), 'https://s3.oss-cn-hangzhou.aliyuncs.com');
  t.is(s3ProtocolEndpoint('alicloud', 'cn-hangzhou', 'internal'), 'https://s3.oss-cn-hangzhou-internal.aliyuncs.com');
  t.is(s3ProtocolEndpoint('jdcloud', 'cn-east-2'), 'https://s3.cn-east-2.jdcloud-oss.com');
  t.is(s3ProtocolEndpoint('jdcloud', 'cn-east-2', 'internal'), 'https://s3-internal.cn-east-2.jdcloud-oss.com');
});

test('the ossUrl JD exportImage wants is the bucket\'s internal https URL', (t) => {
  t.is(jdcloudExportOssUrl('test-export', 'cn-east-2'), 'https://test-export.s3-internal.cn-east-2.jdcloud-oss.com');
});

test('path style with an endpoint override, except on Alibaba\'s own hosts', (t) => {
  t.true(defaultForcePathStyle('alicloud', 'http://127.0.0.1:4569'));
  t.false(defaultForcePathStyle('alicloud', 'https://s3.oss-cn-hangzhou.aliyuncs.com'));
  t.true(defaultForcePathStyle('aws', 'http://localhost:4566'));
  t.false(defaultForcePathStyle('aws', undefined));
  t.false(defaultForcePathStyle('alicloud', undefined));
  t.true(defaultForcePathStyle('jdcloud', undefined));
  t.true(requiresVirtualHostedStyle('s3.oss-cn-beijing-internal.aliyuncs.com'));
  t.false(requiresVirtualHostedStyle('https://evil-aliyuncs.com.example'));
});
