/**
 * The service's route table: each route's method, path, requirement, zod schemas and handler. The server
 * dispatches from it and /openapi.json is generated from it, so the description cannot drift from what is served.
 */
import type { z } from 'zod';

export interface RouteContext<P, B> {
  appId: string;
  params: P;
  body: B;
  /** The stay a patient-page session is limited to (auth 'phone-session'); null for a signed app. */
  sessionIptNo: string | null;
}

export interface Route<P = unknown, B = unknown, R = unknown> {
  method: 'GET' | 'POST';
  /** OpenAPI style: `/v1/inpatient/stays/{iptNo}`. */
  path: string;
  summary: string;
  /** The requirement rows it serves (docs/requirements.md). */
  requirements: string[];
  params: z.ZodType<P>;
  body: z.ZodType<B> | null;
  response: z.ZodType<R>;
  status: number;
  /** Who may call: a registered app signing each request (default), or the patient's page with its session token. */
  auth?: 'signed-app' | 'phone-session';
  handle(ctx: RouteContext<P, B>): Promise<R>;
}

/** Keeps each route's types while the table holds them all. */
export function route<P, B, R>(r: Route<P, B, R>): Route {
  return r as unknown as Route;
}

export interface MatchedRoute {
  route: Route;
  params: Record<string, string>;
}

export function matcher(routes: readonly Route[]): (method: string, pathname: string) => MatchedRoute | 'method' | null {
  const compiled = routes.map((r) => {
    const names: string[] = [];
    const source = r.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    });
    return { route: r, names, re: new RegExp(`^${source}$`) };
  });
  return (method, pathname) => {
    let pathOnly = false;
    for (const c of compiled) {
      const m = c.re.exec(pathname);
      if (!m) continue;
      if (c.route.method !== method) {
        pathOnly = true;
        continue;
      }
      let params: Record<string, string>;
      try {
        params = Object.fromEntries(c.names.map((n, i) => [n, decodeURIComponent(m[i + 1]!)]));
      } catch {
        return null;
      }
      return { route: c.route, params };
    }
    return pathOnly ? 'method' : null;
  };
}
