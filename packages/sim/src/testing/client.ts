import type { Simulator } from "../simulator.js";

/** A tiny authenticated client for tests: token from keystone, then JSON calls on service paths. */
export interface TestClient {
  readonly token: string;
  readonly projectId: string;
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; headers: Headers; body: unknown }>;
}

/** Logs in as `demo` (default) or `admin` and returns a client. */
export async function login(sim: Simulator, user = "demo", project = user): Promise<TestClient> {
  const res = await fetch(`${sim.url}/identity/v3/auth/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({
      auth: {
        identity: {
          methods: ["password"],
          password: { user: { name: user, password: "secret", domain: { id: "default" } } },
        },
        scope: { project: { name: project, domain: { id: "default" } } },
      },
    }),
  });
  if (res.status !== 201) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  const token = res.headers.get("x-subject-token")!;
  const body = (await res.json()) as { token: { project: { id: string } } };
  return {
    token,
    projectId: body.token.project.id,
    async call(method, path, reqBody, headers = {}) {
      const r = await fetch(`${sim.url}${path}`, {
        method,
        headers: { "x-auth-token": token, "content-type": "application/json", ...headers },
        ...(reqBody === undefined ? {} : { body: JSON.stringify(reqBody) }),
      });
      const text = await r.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : null;
      } catch {
        // not JSON (HTML errors)
      }
      return { status: r.status, headers: r.headers, body: parsed };
    },
  };
}
