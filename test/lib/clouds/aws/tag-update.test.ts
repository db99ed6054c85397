import test from 'ava';
import { applyTagChanges, isReservedTagKey, tagChanges } from '../../../../lib/clouds/aws/tag-update';

test('computes the tags to set and to remove, keeping imageport: and aws: tags', (t) => {
  const current = [
    { Key: 'team', Value: 'a' },
    { Key: 'stage', Value: 'dev' },
    { Key: 'imageport:client-token', Value: 'ip-1' },
    { Key: 'aws:cloudformation:stack-name', Value: 's' },
    { Key: 'same', Value: 'v' },
  ];
  t.deepEqual(tagChanges(current, { team: 'b', owner: 'ops', same: 'v' }), { set: [{ Key: 'team', Value: 'b' }, { Key: 'owner', Value: 'ops' }], remove: ['stage'] });
  t.deepEqual(tagChanges(undefined, {}), { set: [], remove: [] });
  t.deepEqual(tagChanges(current, {}, new Set(['team'])), { set: [], remove: ['team'] }, 'only removable keys go');
  t.true(isReservedTagKey('imageport:x'));
  t.true(isReservedTagKey('AWS:x'));
  t.false(isReservedTagKey('team'));
});

test('applies only the calls that are needed', async (t) => {
  const calls: string[] = [];
  const ec2 = {
    createTags: async (ids: string[], tags: { Key?: string; Value?: string }[]) => void calls.push(`create ${ids.join()} ${tags.map((tag) => `${tag.Key}=${tag.Value}`).join()}`),
    deleteTags: async (ids: string[], keys: string[]) => void calls.push(`delete ${ids.join()} ${keys.join()}`),
  };
  await applyTagChanges(ec2, 'export-ami-1', { set: [], remove: [] });
  t.deepEqual(calls, []);
  await applyTagChanges(ec2, 'export-ami-1', { set: [{ Key: 'a', Value: '1' }], remove: ['b'] });
  t.deepEqual(calls, ['create export-ami-1 a=1', 'delete export-ami-1 b']);
});
