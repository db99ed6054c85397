import type * as pulumi from '@pulumi/pulumi';
import { type CloudId, isCloudId } from '../../lib/model/cloud';
import { CREDENTIAL_ENV_VARS, type CloudConnection, type StaticCredentials } from '../../lib/model/connection';
import { parseDuration } from '../../lib/pipeline/duration';

/**
 * Stack config key of per-service endpoint overrides, JSON keyed by cloud then service:
 * `pulumi config set imageport:endpoints '{"aws":{"ec2":"http://127.0.0.1:4510"}}'`.
 * Overrides the `AWS_ENDPOINT_URL_EC2` / `ALIBABA_CLOUD_ENDPOINT_ECS` / `JDCLOUD_ENDPOINT_VM` family.
 */
export const ENDPOINTS_CONFIG_KEY = 'imageport:endpoints';

/**
 * Stack config key of static credentials, JSON keyed by cloud, always set as a secret:
 * `pulumi config set --secret imageport:credentials '{"jdcloud":{"accessKeyId":"…","secretAccessKey":"…"}}'`.
 * Read in the provider host only; never copied into inputs, outputs or logs. Without it, each cloud's standard
 * chain applies (environment variables, AWS profiles and roles).
 */
export const CREDENTIALS_CONFIG_KEY = 'imageport:credentials';

/**
 * Stack config keys of the waiter's shortest and longest gap between two status polls, as durations
 * (`pulumi config set imageport:minPollInterval 500ms`). Defaults: the shared waiter's (2 s and 5 min).
 */
export const POLL_INTERVAL_CONFIG_KEYS = { min: 'imageport:minPollInterval', max: 'imageport:maxPollInterval' } as const;

/** Polling overrides from the stack config, in milliseconds. */
export interface PollIntervals {
  /** Shortest gap. @default - the waiter's default */
  readonly minIntervalMs?: number;
  /** Longest gap. @default - the waiter's default */
  readonly maxIntervalMs?: number;
}

/** What the host learnt from the stack config. */
interface HostSettings {
  endpoints: Partial<Record<CloudId, Record<string, string>>>;
  credentials: Partial<Record<CloudId, StaticCredentials>>;
  poll: PollIntervals;
}

const settings: HostSettings = { endpoints: {}, credentials: {}, poll: {} };

/**
 * Reads imageport's stack config (`imageport:endpoints`, `imageport:credentials`). Called by the dynamic-provider
 * host's `configure` before the first resource call. A malformed value is an error naming the key, never its text.
 */
export function configureHost(request: pulumi.dynamic.ConfigureRequest): void {
  settings.poll = {};
  for (const [bound, key] of [['minIntervalMs', POLL_INTERVAL_CONFIG_KEYS.min], ['maxIntervalMs', POLL_INTERVAL_CONFIG_KEYS.max]] as const) {
    const text = request.config.get(key);
    if (text === undefined || text === '') continue;
    const ms = parseDuration(text);
    if (ms === undefined) throw new Error(`stack config ${key}: ${JSON.stringify(text)} is not a duration such as "500ms", "2s" or "1m"`);
    settings.poll = { ...settings.poll, [bound]: ms };
  }
  settings.endpoints = parseCloudMap(request.config.get(ENDPOINTS_CONFIG_KEY), ENDPOINTS_CONFIG_KEY, (value, where) => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) throw new Error(`${where} must be an object of service URLs`);
    const entries = Object.entries(value as Record<string, unknown>);
    for (const [service, url] of entries) {
      if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw new Error(`${where}.${service} must be an http(s) URL`);
    }
    return Object.fromEntries(entries) as Record<string, string>;
  });
  settings.credentials = parseCloudMap(request.config.get(CREDENTIALS_CONFIG_KEY), CREDENTIALS_CONFIG_KEY, (value, where) => {
    const record = (value ?? {}) as Record<string, unknown>;
    if (typeof record.accessKeyId !== 'string' || typeof record.secretAccessKey !== 'string') {
      throw new Error(`${where} must have string accessKeyId and secretAccessKey`);
    }
    return {
      accessKeyId: record.accessKeyId,
      secretAccessKey: record.secretAccessKey,
      ...(typeof record.sessionToken === 'string' ? { sessionToken: record.sessionToken } : {}),
    };
  });
}

function parseCloudMap<T>(
  text: string | undefined,
  key: string,
  parseEntry: (value: unknown, where: string) => T,
): Partial<Record<CloudId, T>> {
  if (text === undefined || text === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new Error(`stack config ${key} is not valid JSON`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new Error(`stack config ${key} must be a JSON object keyed by cloud (aws, alicloud, jdcloud)`);
  }
  const result: Partial<Record<CloudId, T>> = {};
  for (const [cloud, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!isCloudId(cloud)) throw new Error(`stack config ${key}: "${cloud}" is not a cloud (allowed: aws, alicloud, jdcloud)`);
    result[cloud] = parseEntry(value, `stack config ${key}.${cloud}`);
  }
  return result;
}

/**
 * How to reach `cloud` in `region` from the host. Endpoints, per service: the `imageport:endpoints` stack config,
 * else the resource's own `endpoints` input (a pipeline file's `clouds.<cloud>.endpoints`), else nothing, so the
 * drivers fall back to each cloud's environment variables (`AWS_ENDPOINT_URL_EC2`…) and then the public endpoints.
 * That is the pipeline CLI's order too (its `--local` override, then the file, then the environment). Credentials:
 * the stack config, else each cloud's environment variables and credential chain, read when a call is made.
 *
 * @param cloud the cloud
 * @param region the region
 * @param resourceEndpoints the resource's endpoint overrides, keyed by service
 */
export function connectionFor(cloud: CloudId, region: string, resourceEndpoints?: Readonly<Record<string, string>>): CloudConnection {
  const merged = { ...(resourceEndpoints ?? {}), ...(settings.endpoints[cloud] ?? {}) };
  const credentials = settings.credentials[cloud];
  return { region, ...(Object.keys(merged).length > 0 ? { endpoints: merged } : {}), ...(credentials ? { credentials } : {}) };
}

/** The polling overrides of the stack config (empty when none). */
export function pollIntervals(): PollIntervals {
  return settings.poll;
}

/** Every credential value the host knows of (stack config and the clouds' credential variables). */
function knownSecrets(env: NodeJS.ProcessEnv = process.env): string[] {
  const values = new Set<string>();
  for (const credentials of Object.values(settings.credentials)) {
    if (!credentials) continue;
    values.add(credentials.accessKeyId);
    values.add(credentials.secretAccessKey);
    if (credentials.sessionToken) values.add(credentials.sessionToken);
  }
  for (const names of Object.values(CREDENTIAL_ENV_VARS)) {
    for (const name of Object.values(names)) {
      const value = env[name];
      if (value) values.add(value);
    }
  }
  return [...values].filter((value) => value.length >= 4).sort((a, b) => b.length - a.length);
}

/**
 * `text` with every known credential value replaced by `***`: a last line of defence for messages that quote a
 * cloud's answer (some services echo the access key id of a refused signature).
 */
export function redact(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let result = text;
  for (const secret of knownSecrets(env)) result = result.split(secret).join('***');
  return result;
}
