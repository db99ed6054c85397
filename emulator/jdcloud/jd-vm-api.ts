import { type TaskFaultKind } from '../core/fault-injector';
import { deleteImage } from './jd-delete-image';
import { exportImage, exportTaskInfo, settleExports } from './jd-export';
import { importImage, importTaskInfo } from './jd-import';
import { invalidArgument, jsonBody, notFound } from './jd-response';
import { type JdImageView, type JdVmWorld } from './jd-vm-world';

/** One vm call after routing: decoded path after `/v1`, query, body. */
export interface JdVmCall {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: Buffer;
  readonly taskFault?: TaskFaultKind;
}

/** Brings every task's side effects up to the clock (exports write their QCOW2 files). */
export function settleJdVm(world: JdVmWorld): void {
  settleExports(world);
}

/** describeImage's `image` object. */
export function imageJson(image: JdImageView): Record<string, unknown> {
  return {
    imageId: image.imageId,
    name: image.name,
    platform: image.platform,
    osVersion: image.osVersion,
    architecture: image.architecture,
    systemDiskSizeGB: image.systemDiskSizeGB,
    imageSource: image.imageSource,
    osType: image.osType,
    status: image.status,
    createTime: new Date(image.createdAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    sizeMB: Math.ceil(image.virtualSizeBytes / (1024 * 1024)),
    desc: image.desc,
    launchPermission: image.imageSource === 'public' ? 'all' : image.imageSource === 'shared' ? 'specifiedUsers' : 'ownerOnly',
    dataDisks: image.dataDisks.map((disk) => ({ diskCategory: 'cloud', cloudDiskSpec: { diskSizeGB: disk.diskSizeGB }, deviceName: disk.name })),
    rootDeviceType: image.rootDeviceType,
    progress: image.progress ?? (image.status === 'ready' ? '100' : '0'),
    offline: false,
    imported: image.imported,
  };
}

function intParam(query: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const text = query.get(name);
  if (text === null || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min || value > max) throw invalidArgument(`${name} ${text} is invalid: an integer in [${min}, ${max}]`);
  return value;
}

/** `GET /v1/regions/{regionId}/imageTasks` with `taskAction`, `taskIds.N`, `taskStatus`, `pageNumber`, `pageSize`. */
function imageTasks(world: JdVmWorld, region: string, query: URLSearchParams): unknown {
  world.assertRegion(region);
  const action = query.get('taskAction');
  if (action !== null && action !== 'ImportImage' && action !== 'ExportImage') throw invalidArgument(`taskAction "${action}" is invalid: ImportImage or ExportImage`);
  const status = query.get('taskStatus');
  if (status !== null && !['pending', 'running', 'failed', 'finished'].includes(status)) {
    throw invalidArgument(`taskStatus "${status}" is invalid: pending, running, failed or finished`);
  }
  const ids = [...query.entries()].filter(([name]) => /^taskIds\.\d+$/.test(name)).map(([, value]) => value);
  const pageNumber = intParam(query, 'pageNumber', 1, 1, 100_000);
  const pageSize = intParam(query, 'pageSize', 10, 10, 100);
  const now = world.clock.now();
  const exports = action === 'ImportImage' ? [] : Object.values(world.state.exportTasks).filter((t) => t.region === region).map((t) => ({ at: t.createdAt, info: exportTaskInfo(t, now) }));
  const imports = action === 'ExportImage' ? [] : Object.values(world.state.importTasks).filter((t) => t.region === region).map((t) => ({ at: t.createdAt, info: importTaskInfo(t, now) }));
  const selected = [...exports, ...imports]
    .filter(({ info }) => ids.length === 0 || ids.includes(String(info.taskId)))
    .filter(({ info }) => status === null || info.taskStatus === status)
    .sort((a, b) => b.at - a.at);
  return { taskSet: selected.slice((pageNumber - 1) * pageSize, pageNumber * pageSize).map(({ info }) => info), totalCount: selected.length };
}

/** Routes one vm call; returns the `result` or throws a `JdApiError`. */
export function handleJdVm(world: JdVmWorld, call: JdVmCall): unknown {
  settleJdVm(world);
  const { method, path } = call;
  let match: RegExpExecArray | null;
  if ((match = /^\/regions\/([^/:]+)\/images\/([^/:]+):exportImage$/.exec(path)) && method === 'POST') {
    return exportImage(world, match[1], match[2], jsonBody(call.body), call.taskFault);
  }
  if ((match = /^\/regions\/([^/:]+)\/images:import$/.exec(path)) && method === 'POST') {
    return importImage(world, match[1], jsonBody(call.body), call.taskFault);
  }
  if ((match = /^\/regions\/([^/:]+)\/imageTasks$/.exec(path)) && method === 'GET') return imageTasks(world, match[1], call.query);
  if ((match = /^\/regions\/([^/:]+)\/images\/([^/:]+)$/.exec(path)) && method === 'GET') {
    world.assertRegion(match[1]);
    const image = world.image(match[1], match[2]);
    if (!image) throw notFound(`image ${match[2]} not found in ${match[1]}`);
    return { image: imageJson(image) };
  }
  if ((match = /^\/regions\/([^/:]+)\/images\/([^/:]+)$/.exec(path)) && method === 'DELETE') return deleteImage(world, match[1], match[2], call.query);
  throw notFound(`no vm API ${method} /v1${path}`);
}
