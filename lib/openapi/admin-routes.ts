// The admin REST routes as the file system defines them (app/api/admin/**/route.ts), for the tests
// that hold the OpenAPI document and the access checks to every route that exists.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";

export interface RouteFile {
  /** e.g. /api/admin/backends/{id}/test */
  path: string;
  file: string;
  methods: string[];
}

export function findAdminRouteFiles(root = path.resolve(process.cwd(), "app/api/admin")): RouteFile[] {
  const out: RouteFile[] = [];
  const walk = (dir: string, segments: string[]) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name), [...segments, entry.name.replace(/^\[(\w+)\]$/, "{$1}")]);
      else if (entry.name === "route.ts") {
        const file = path.join(dir, entry.name);
        const methods = [
          ...readFileSync(file, "utf8").matchAll(/^export (?:const|async function|function) (GET|POST|PUT|PATCH|DELETE)\b/gm),
        ].map((m) => m[1]!);
        out.push({ path: ["/api/admin", ...segments].join("/"), file, methods });
      }
    }
  };
  walk(root, []);
  return out.sort((a, b) => a.path.localeCompare(b.path));
}
