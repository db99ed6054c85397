import { type EmulatorSnapshot, type FaultController, type FaultSettings } from '../types';
import { startHttpService, type RunningService, type ServiceResponse } from './http-service';

/** What the control API reaches. */
export interface ControlTarget {
  /** Snapshot for `GET /state`. */
  inspect(): EmulatorSnapshot;
  /** Faults for `PUT` / `DELETE /faults`. */
  readonly faults: FaultController;
}

/**
 * A small JSON HTTP API for processes that cannot call the emulator object (a CLI under test):
 * `GET /state` (the inspect() snapshot), `GET /faults`, `PUT /faults` (FaultSettings JSON), `DELETE /faults`.
 * Never subject to fault injection.
 */
export function startControlApi(target: ControlTarget, host: string): Promise<RunningService> {
  return startHttpService(
    {
      cloud: 'emulator',
      service: 'control',
      handle: (request) => {
        const path = request.rawPath.replace(/\/+$/, '') || '/';
        if (path === '/state' && request.method === 'GET') return json(200, target.inspect());
        if (path === '/faults') {
          if (request.method === 'GET') return json(200, target.faults.settings ?? null);
          if (request.method === 'DELETE') {
            target.faults.clear();
            return json(200, null);
          }
          if (request.method === 'PUT') {
            let settings: unknown;
            try {
              settings = JSON.parse(request.body.toString('utf8'));
            } catch {
              return json(400, { error: 'body must be JSON FaultSettings: {"rate": 0..1, "kinds": [...], "clouds"?, "services"?, "seed"?}' });
            }
            try {
              target.faults.set(settings as FaultSettings);
            } catch (error) {
              return json(400, { error: (error as Error).message });
            }
            return json(200, target.faults.settings ?? null);
          }
          return json(405, { error: `method ${request.method} not allowed on /faults (GET, PUT, DELETE)` });
        }
        return json(404, { error: `no such control resource ${request.rawPath} (GET /state, GET|PUT|DELETE /faults)` });
      },
      problemResponse: (problem) => json(problem === 'too-large' ? 413 : 500, { error: problem }),
    },
    { host },
  );
}

function json(status: number, value: unknown): ServiceResponse {
  return { status, headers: { 'Content-Type': 'application/json' }, body: `${JSON.stringify(value)}\n` };
}
