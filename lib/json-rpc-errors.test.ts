// One home for JSON-RPC error codes: product code (lib, gateway, app, server.ts; not tests) names
// them through lib/json-rpc-errors.ts and writes no numeric code anywhere else.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { jsonRpcCodeOf, RPC } from "@/lib/json-rpc-errors";

const ROOT = path.resolve(__dirname, "..");
const HOME = "lib/json-rpc-errors.ts";
const SKIP = new Set(["node_modules", "generated", ".next"]);

function productFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir)).flatMap((name) => {
    const rel = path.join(dir, name);
    if (SKIP.has(name)) return [];
    if (statSync(path.join(ROOT, rel)).isDirectory()) return productFiles(rel);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.ts$/.test(name) ? [rel] : [];
  });
}

describe("JSON-RPC error codes", () => {
  it("appear as numbers only in lib/json-rpc-errors.ts", () => {
    const files = [...productFiles("lib"), ...productFiles("gateway"), ...productFiles("app"), "server.ts"];
    expect(files.length).toBeGreaterThan(50);
    const offenders = files
      .filter((f) => f !== HOME)
      .flatMap((f) =>
        readFileSync(path.join(ROOT, f), "utf8")
          .split("\n")
          .flatMap((line, i) => (/-32\d{3}/.test(line) ? [`${f}:${i + 1}: ${line.trim()}`] : [])),
      );
    expect(offenders).toEqual([]);
  });

  it("maps a missing link to URLElicitationRequired and backend failures to an internal error", () => {
    expect(jsonRpcCodeOf(new AppError("link_required", "link first"))).toBe(RPC.urlElicitationRequired);
    expect(jsonRpcCodeOf(new AppError("upstream", "down"))).toBe(RPC.internalError);
    expect(jsonRpcCodeOf(new AppError("validation", "bad"))).toBe(RPC.invalidParams);
  });
});
