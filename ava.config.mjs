// Unit and integration tests: everything a fresh clone can run with `npm test`.
// Peer-tool tests (AWS CLI, qemu-img, cfn-lint, cdk CLI) live in test/peer and run from .ci/run.
export default {
  files: ['test/**/*.test.ts', '!test/peer/**'],
  extensions: { ts: 'commonjs' },
  nodeArguments: ['--import=tsx'],
  timeout: '3m',
  environmentVariables: { IMAGEPORT_TEST: '1' },
};
