// Peer-tool tests: independent tools (AWS CLI, qemu-img, cfn-lint, the CDK CLI, jdcloud-sdk-js) prove
// wire compatibility, template validity and image formats. Run by .ci/run after `npm test`.
export default {
  files: ['test/peer/**/*.test.ts'],
  extensions: { ts: 'commonjs' },
  nodeArguments: ['--import=tsx'],
  timeout: '5m',
  concurrency: 1,
  environmentVariables: { IMAGEPORT_TEST: '1' },
};
