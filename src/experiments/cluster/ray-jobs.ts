/**
 * A small client of Ray's Jobs REST API (the dashboard's HTTP server, port 8265 by default), over node:http: no
 * Python and no npm package on the submitting side. Not Node's fetch: it sends `Sec-Fetch-Mode`, by which Ray's
 * dashboard takes it for a browser and refuses a POST ("'POST' method not allowed for browser traffic").
 * Endpoints used (Ray 2.60): `GET /api/version`, `GET /api/v0/nodes` (each node's state and total resources),
 * `POST /api/jobs/` (submit), `GET /api/jobs/ID`, `GET /api/jobs/ID/logs`, `POST /api/jobs/ID/stop`. Every
 * failure names the address and the request that failed.
 */
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { constants as osConstants } from 'node:os';

/** The state of a Ray job (`JobStatus`). */
export type RayJobStatus = 'PENDING' | 'RUNNING' | 'STOPPED' | 'SUCCEEDED' | 'FAILED';

/** States a job does not leave. */
export const TERMINAL_STATES: readonly RayJobStatus[] = ['STOPPED', 'SUCCEEDED', 'FAILED'];

/** What `GET /api/jobs/ID` answers (the fields used here). */
export interface RayJobInfo {
  readonly submission_id: string;
  readonly status: RayJobStatus;
  readonly message: string | null;
  readonly error_type: string | null;
  readonly driver_exit_code: number | null;
  readonly start_time: number | null;
  readonly end_time: number | null;
  readonly metadata: Record<string, string> | null;
}

/** A job to submit: a shell command line run on some node, with the resources it holds while it runs. */
export interface RayJobRequest {
  readonly submissionId: string;
  readonly entrypoint: string;
  readonly cpus: number;
  readonly gpus: number;
  /** Bytes of Ray's `memory` resource the job holds (none when 0). */
  readonly memory: number;
  readonly envVars: Record<string, string>;
  readonly metadata: Record<string, string>;
}

/** One node of the cluster as `GET /api/v0/nodes` lists it. */
export interface RayNode {
  readonly id: string;
  readonly ip: string;
  readonly alive: boolean;
  readonly cpus: number;
  readonly gpus: number;
  /** Ray's `memory` resource: what jobs may ask for (about 70 % of the node's RAM less its object store). */
  readonly memory: number;
  /** The node's RAM as Ray sees it: `memory` plus the object store. */
  readonly ram: number;
}

/** The Jobs API's port when an address names none. */
export const DEFAULT_DASHBOARD_PORT = 8265;
/** How long one request may take before the cluster counts as unreachable. */
const REQUEST_TIMEOUT_MS = 15_000;

/**
 * The dashboard URL of `address`: `HOST`, `HOST:PORT` or `http(s)://HOST[:PORT]`, the port 8265 when none is given.
 * Anything else (another scheme, a path, an empty string) is refused, naming what is expected.
 */
export function dashboardUrl(address: string): string {
  const expected =
    "expected the Ray dashboard's address, as `ray start --head` prints it for the Jobs API: HOST:8265 or http://HOST:8265";
  const trimmed = address.trim();
  if (trimmed === '') throw new RangeError(`--cluster '${address}' is empty: ${expected}`);
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new RangeError(`--cluster '${address}' is not an address: ${expected}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new RangeError(
      `--cluster '${address}' uses ${url.protocol}//, which the Jobs API does not speak: ${expected}`,
    );
  if (url.pathname !== '/' || url.search !== '' || url.hash !== '')
    throw new RangeError(`--cluster '${address}' has a path: ${expected}`);
  const port = url.port === '' ? (url.protocol === 'https:' ? '' : `:${DEFAULT_DASHBOARD_PORT}`) : `:${url.port}`;
  return `${url.protocol}//${url.hostname}${port}`;
}

/** A request to the cluster that failed: the address, the request and what happened. */
export class ClusterError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ClusterError';
  }
}

/** One HTTP exchange: the status and the body, or the network error (refused, unknown host, time-out). */
function exchange(method: string, url: string, body?: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    const request = send(
      url,
      {
        method,
        headers: {
          accept: 'application/json',
          ...(body === undefined
            ? {}
            : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) }),
        },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS / 1000} s`)));
    request.on('error', reject);
    request.end(body);
  });
}

/** What a network error suggests to check. */
function hint(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ECONNREFUSED')
    return '; nothing listens there: is the cluster up (ray start --head), and is that its dashboard port (8265 by default)?';
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return '; no such host';
  if (code?.startsWith('HPE_'))
    return "; the port answers, but not in HTTP: is it Ray's GCS port (6379) rather than its dashboard's (8265)?";
  return '';
}

export class RayJobsClient {
  readonly url: string;

  constructor(address: string) {
    this.url = dashboardUrl(address);
  }

  private async request(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const what = `${method} ${this.url}${path}`;
    let status: number;
    let text: string;
    try {
      ({ status, text } = await exchange(
        method,
        `${this.url}${path}`,
        body === undefined ? undefined : JSON.stringify(body),
      ));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ClusterError(`the Ray cluster at ${this.url} is unreachable: ${what} failed (${reason})${hint(error)}`);
    }
    if (status < 200 || status >= 300) {
      const shown = text.length > 600 ? `${text.slice(0, 600)}…` : text;
      throw new ClusterError(`${what} answered HTTP ${status}: ${shown.trim() || 'no message'}`);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new ClusterError(
        `${what} did not answer JSON (${text.slice(0, 120).trim()}…): is ${this.url} the Ray dashboard (port 8265 by default), not Ray's GCS port (6379)?`,
      );
    }
  }

  /** The cluster's Ray version; the first check of an address (`GET /api/version`). */
  async version(): Promise<string> {
    const answer = (await this.request('GET', '/api/version')) as { ray_version?: string };
    if (typeof answer.ray_version !== 'string')
      throw new ClusterError(
        `GET ${this.url}/api/version did not answer a Ray version: is ${this.url} a Ray dashboard (Ray ≥ 2.0)?`,
      );
    return answer.ray_version;
  }

  /** Every node the cluster knows, alive or not, with its total CPUs and GPUs. */
  async nodes(): Promise<RayNode[]> {
    const answer = (await this.request('GET', '/api/v0/nodes?limit=10000')) as {
      data?: { result?: { result?: unknown[] } };
    };
    const rows = answer.data?.result?.result;
    if (!Array.isArray(rows)) throw new ClusterError(`GET ${this.url}/api/v0/nodes did not list nodes`);
    return rows.map((row) => {
      const node = row as { node_id: string; node_ip: string; state: string; resources_total?: Record<string, number> };
      return {
        id: node.node_id,
        ip: node.node_ip,
        alive: node.state === 'ALIVE',
        cpus: node.resources_total?.CPU ?? 0,
        gpus: node.resources_total?.GPU ?? 0,
        memory: node.resources_total?.memory ?? 0,
        ram: (node.resources_total?.memory ?? 0) + (node.resources_total?.object_store_memory ?? 0),
      };
    });
  }

  async submit(job: RayJobRequest): Promise<string> {
    const answer = (await this.request('POST', '/api/jobs/', {
      entrypoint: job.entrypoint,
      submission_id: job.submissionId,
      entrypoint_num_cpus: job.cpus,
      entrypoint_num_gpus: job.gpus,
      ...(job.memory > 0 ? { entrypoint_memory: Math.ceil(job.memory) } : {}),
      runtime_env: { env_vars: job.envVars },
      metadata: job.metadata,
    })) as { submission_id?: string };
    return answer.submission_id ?? job.submissionId;
  }

  async info(submissionId: string): Promise<RayJobInfo> {
    return (await this.request('GET', `/api/jobs/${encodeURIComponent(submissionId)}`)) as RayJobInfo;
  }

  /** Every job the cluster knows, newest or not. */
  async jobs(): Promise<RayJobInfo[]> {
    return (await this.request('GET', '/api/jobs/')) as RayJobInfo[];
  }

  /** The job's whole output so far (stdout and stderr of its entrypoint, and Ray's own lines). */
  async logs(submissionId: string): Promise<string> {
    const answer = (await this.request('GET', `/api/jobs/${encodeURIComponent(submissionId)}/logs`)) as {
      logs?: string;
    };
    return answer.logs ?? '';
  }

  /** Asks Ray to stop the job: SIGTERM to its process group, SIGKILL a few seconds later. */
  async stop(submissionId: string): Promise<boolean> {
    const answer = (await this.request('POST', `/api/jobs/${encodeURIComponent(submissionId)}/stop`)) as {
      stopped?: boolean;
    };
    return answer.stopped === true;
  }
}

/** What each job of a plan asks the cluster for. */
export interface JobResources {
  readonly cpus: number;
  readonly gpus: number;
  /** Bytes of memory (0: not asked). */
  readonly memory?: number;
}

/** Bytes as GiB with one decimal. */
export function gibibytes(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

/**
 * Throws unless some alive node can hold a job of `resources` (Ray places a job's entrypoint on one node), naming
 * the address, what a job needs and what each node has. Returns how many such jobs the cluster runs at once.
 */
export function checkCapacity(url: string, nodes: readonly RayNode[], resources: JobResources): number {
  const alive = nodes.filter((n) => n.alive);
  const memory = resources.memory ?? 0;
  const fits = (n: RayNode) =>
    Math.min(
      Math.floor(n.cpus / resources.cpus + 1e-9),
      resources.gpus > 0 ? Math.floor(n.gpus / resources.gpus + 1e-9) : Number.POSITIVE_INFINITY,
      memory > 0 ? Math.floor(n.memory / memory) : Number.POSITIVE_INFINITY,
    );
  const capacity = alive.reduce((sum, n) => sum + fits(n), 0);
  if (capacity > 0) return capacity;
  const parts = [
    `${resources.cpus} CPU${resources.cpus === 1 ? '' : 's'}`,
    ...(resources.gpus > 0 ? [`${resources.gpus} GPU${resources.gpus === 1 ? '' : 's'}`] : []),
    ...(memory > 0 ? [`${gibibytes(memory)} of memory`] : []),
  ];
  const need = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0];
  const have =
    alive.length === 0
      ? 'it has no alive node'
      : `its nodes: ${alive
          .map((n) => `${n.ip} ${n.cpus} CPUs, ${n.gpus} GPUs${memory > 0 ? `, ${gibibytes(n.memory)} of memory` : ''}`)
          .join('; ')}`;
  const most = (pick: (n: RayNode) => number) => alive.reduce((m, n) => Math.max(m, pick(n)), 0);
  const fix =
    resources.gpus > most((n) => n.gpus)
      ? 'add GPU nodes to the cluster (ray start --num-gpus), or lower --gpus-per-run'
      : memory > most((n) => n.memory)
        ? "add nodes with more memory, or lower the runs' memoryCapacity (--set memoryCapacity=N)"
        : 'add nodes, or lower --cpus-per-run';
  throw new ClusterError(
    `the Ray cluster at ${url} has no node with ${need} for one run (${have}); nothing was submitted: ${fix}`,
  );
}

/** The last `count` non-empty lines of a job's output, each through `show`. */
export function logTail(logs: string, count: number, show: (line: string) => string = (line) => line): string[] {
  return logs
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line.length > 0)
    .slice(-count)
    .map(show);
}

/**
 * Why a job ended, in one line: Ray's message without the log it appends, a negative exit code named as the
 * signal that ended the process (`exit code -9: killed by SIGKILL`).
 */
export function jobEndMessage(info: Pick<RayJobInfo, 'message' | 'driver_exit_code'>): string {
  const first =
    (info.message ?? '')
      .split('\n')[0]
      .replace(/, last available logs.*$/, '')
      .trim() || 'no message';
  const code = info.driver_exit_code;
  if (code === null || code >= 0) return first;
  const name = Object.entries(osConstants.signals).find(([, number]) => number === -code)?.[0];
  return name ? `${first}: killed by ${name}` : first;
}

/** `text` quoted for a POSIX shell: one word, whatever it holds. */
export function shellQuote(text: string): string {
  return /^[\w@%+=:,./-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;
}
