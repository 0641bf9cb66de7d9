import { type Simulator, type SimulatorOptions, startSimulator } from "../../simulator.js";

/** A simulator with a demo-project token, for service tests. */
export interface TestCloud {
  readonly sim: Simulator;
  readonly token: string;
  readonly projectId: string;
  /** A token of the admin user on the admin project. */
  readonly adminToken: string;
  readonly adminProjectId: string;
  /** `fetch` on the simulator with the demo token (or `token`). */
  call(
    method: string,
    path: string,
    init?: { body?: string | Uint8Array<ArrayBuffer>; headers?: Record<string, string>; token?: string },
  ): Promise<Response>;
  /** The same with a JSON body. */
  callJson(method: string, path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
}

async function issue(url: string, user: string): Promise<{ token: string; projectId: string }> {
  const res = await fetch(`${url}/identity/v3/auth/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: user, domain: { name: "Default" }, password: "secret" } },
        },
        scope: { project: { name: user, domain: { name: "Default" } } },
      },
    }),
  });
  if (res.status !== 201) throw new Error(`token for ${user}: ${res.status} ${await res.text()}`);
  const body = (await res.json()) as { token: { project: { id: string } } };
  return { token: res.headers.get("x-subject-token")!, projectId: body.token.project.id };
}

/** Starts a simulator (delays 0 unless given) and logs in as `demo` and `admin`. */
export async function startTestCloud(opts: SimulatorOptions = {}): Promise<TestCloud> {
  const sim = await startSimulator({ buildDelayMs: 0, deleteDelayMs: 0, ...opts });
  const demo = await issue(sim.url, "demo");
  const admin = await issue(sim.url, "admin");
  const call: TestCloud["call"] = (method, path, init = {}) =>
    fetch(`${sim.url}${path}`, {
      method,
      headers: { "x-auth-token": init.token ?? demo.token, ...init.headers },
      ...(init.body === undefined ? {} : { body: init.body }),
    });
  return {
    sim,
    token: demo.token,
    projectId: demo.projectId,
    adminToken: admin.token,
    adminProjectId: admin.projectId,
    call,
    callJson: (method, path, body, headers = {}) =>
      call(method, path, {
        body: JSON.stringify(body),
        headers: { "content-type": "application/json", ...headers },
      }),
  };
}
