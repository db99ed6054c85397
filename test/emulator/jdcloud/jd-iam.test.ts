import test, { type ExecutionContext } from 'ava';
import { JdApiError } from '../../../emulator/jdcloud/jd-response';
import { JdIam, emptyJdIamState, jdPolicyDocumentProblems } from '../../../emulator/jdcloud/jd-iam';

const TRUST = JSON.stringify({ Version: '3', Statement: [{ Effect: 'Allow', Principal: { Service: ['disk'] }, Action: 'sts:assumeRole', Resource: '*' }] });
const POLICY = JSON.stringify({ Version: '3', Statement: [{ Effect: 'Allow', Action: ['oss:PutObject'], Resource: ['jrn:oss:*:123456789012:b/*'] }] });

function iam() {
  let changes = 0;
  const state = emptyJdIamState();
  const service = new JdIam(state, '123456789012', () => Date.UTC(2026, 0, 1), () => changes++);
  const call = (method: string, path: string, body?: unknown, query = '') =>
    service.handle({ method, path, query: new URLSearchParams(query), body: Buffer.from(body === undefined ? '' : JSON.stringify(body)) });
  return { service, state, call, changes: () => changes };
}

function rejects(t: ExecutionContext, run: () => unknown, httpStatus: number, status: string, message?: RegExp): void {
  const error = t.throws(run) as JdApiError;
  t.true(error instanceof JdApiError);
  t.is(error.httpStatus, httpStatus);
  t.is(error.status, status);
  if (message) t.regex(error.message, message);
}

test('creates, describes, attaches, lists, detaches and deletes a service role and its policy', (t) => {
  const { call, service, changes } = iam();
  const created = call('POST', '/role', { createRoleInfo: { roleName: 'image-export', type: 3, assumeRolePolicyDocument: TRUST } }) as {
    roleInfo: Record<string, unknown>;
  };
  t.is(created.roleInfo.jrn, 'jrn:iam::123456789012:role/image-export');
  t.is(created.roleInfo.account, '123456789012');
  t.is((call('GET', '/role/image-export') as { roleInfo: { type: number } }).roleInfo.type, 3);
  call('POST', '/policy', { createPolicyInfo: { name: 'image-export-policy', content: POLICY } });
  t.is((call('GET', '/policy/image-export-policy') as { policy: { content: string } }).policy.content, POLICY);
  call('POST', '/role/image-export:attachRolePolicy', { policyName: 'image-export-policy' });
  t.deepEqual(call('GET', '/role/image-export/policies', undefined, 'sort=0'), {
    total: 1,
    policies: [{ policyName: 'image-export-policy', description: '', type: 'custom', policyJrn: 'jrn:iam::123456789012:policy/image-export-policy' }],
  });
  t.deepEqual(service.attachedDocuments('image-export'), [JSON.parse(POLICY)]);
  call('DELETE', '/role/image-export:detachRolePolicy', undefined, 'policyName=image-export-policy');
  call('DELETE', '/policy/image-export-policy');
  call('DELETE', '/role/image-export');
  t.is(service.role('image-export'), undefined);
  t.true(changes() >= 6);
});

test('rejects duplicates with 409 ALREADY_EXISTS and missing names with 404 NOT_FOUND', (t) => {
  const { call } = iam();
  call('POST', '/role', { createRoleInfo: { roleName: 'image-export', type: 3, assumeRolePolicyDocument: TRUST } });
  rejects(t, () => call('POST', '/role', { createRoleInfo: { roleName: 'image-export', type: 3, assumeRolePolicyDocument: TRUST } }), 409, 'ALREADY_EXISTS');
  call('POST', '/policy', { createPolicyInfo: { name: 'image-export-policy', content: POLICY } });
  rejects(t, () => call('POST', '/policy', { createPolicyInfo: { name: 'image-export-policy', content: POLICY } }), 409, 'ALREADY_EXISTS');
  call('POST', '/role/image-export:attachRolePolicy', { policyName: 'image-export-policy' });
  rejects(t, () => call('POST', '/role/image-export:attachRolePolicy', { policyName: 'image-export-policy' }), 409, 'ALREADY_EXISTS');
  rejects(t, () => call('GET', '/role/nobody'), 404, 'NOT_FOUND', /role nobody not found/);
  rejects(t, () => call('GET', '/policy/none'), 404, 'NOT_FOUND');
  rejects(t, () => call('DELETE', '/role/image-export:detachRolePolicy', undefined, 'policyName=other'), 404, 'NOT_FOUND');
  rejects(t, () => call('GET', '/nothing-here'), 404, 'NOT_FOUND');
});

test('rejects deleting a role or a policy that is still attached', (t) => {
  const { call } = iam();
  call('POST', '/role', { createRoleInfo: { roleName: 'image-export', type: 3, assumeRolePolicyDocument: TRUST } });
  call('POST', '/policy', { createPolicyInfo: { name: 'image-export-policy', content: POLICY } });
  call('POST', '/role/image-export:attachRolePolicy', { policyName: 'image-export-policy' });
  rejects(t, () => call('DELETE', '/role/image-export'), 400, 'FAILED_PRECONDITION', /detach/);
  rejects(t, () => call('DELETE', '/policy/image-export-policy'), 400, 'FAILED_PRECONDITION', /detach/);
});

test('rejects bad names, bad documents and garbled bodies with 400 INVALID_ARGUMENT', (t) => {
  const { call, service } = iam();
  rejects(t, () => call('POST', '/role', { createRoleInfo: { roleName: '1bad', type: 3, assumeRolePolicyDocument: TRUST } }), 400, 'INVALID_ARGUMENT', /roleName/);
  rejects(t, () => call('POST', '/role', { createRoleInfo: { roleName: 'image-export', type: 3, assumeRolePolicyDocument: '{' } }), 400, 'INVALID_ARGUMENT', /not valid JSON/);
  rejects(t, () => call('POST', '/role', {}), 400, 'INVALID_ARGUMENT', /createRoleInfo/);
  rejects(t, () => service.handle({ method: 'POST', path: '/role', query: new URLSearchParams(), body: Buffer.from('not json') }), 400, 'INVALID_ARGUMENT');
  rejects(t, () => call('POST', '/policy', { createPolicyInfo: { name: 'pol1', content: JSON.stringify({ Version: '2012-10-17', Statement: [] }) } }), 400, 'INVALID_ARGUMENT', /Version must be "3"/);
});

test('policy document checks name every problem', (t) => {
  t.deepEqual(jdPolicyDocumentProblems(POLICY, 'permission'), []);
  t.deepEqual(jdPolicyDocumentProblems(TRUST, 'trust'), []);
  t.deepEqual(jdPolicyDocumentProblems(JSON.stringify({ Version: '3', Statement: [{ Effect: 'Maybe' }] }), 'permission'), [
    'Statement[0].Effect must be Allow or Deny',
    'Statement[0].Action is required',
    'Statement[0].Resource is required',
  ]);
});
