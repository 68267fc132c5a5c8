// Test connection: connect to a backend as MCP with the credential the admin can have, list its
// tools, record the result on the row (last check, tool count) and answer what was found or the
// exact error.
import { recordAudit } from "@/lib/audit/record-audit";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { readStoredAuth } from "@/lib/backends/auth-config";
import { adminCredential, type AdminCredential, type TestingAdmin } from "@/lib/backends/admin-credential";
import { BackendCheckError, listBackendTools, type BackendTool } from "@/lib/backends/list-backend-tools";

export interface ConnectionTestResult {
  /** true: tools listed; false: failed; null: reachable, but no credential could be had for the admin. */
  ok: boolean | null;
  message: string;
  tools: BackendTool[];
  toolCount: number | null;
  /** Whether the check used a credential. */
  authenticated: boolean;
  latencyMs: number;
  checkedAt: string;
}

const MAX_MESSAGE = 1000;

export async function testBackendConnection(id: string, { admin }: { admin: TestingAdmin }): Promise<ConnectionTestResult> {
  const db = getDb();
  const row = await db.backend.findUnique({
    where: { id },
    select: { id: true, slug: true, url: true, transport: true, timeoutMs: true, authMode: true, authConfig: true, providerId: true, secretEnc: true, provider: { select: { displayName: true } } },
  });
  if (!row) throw new AppError("not_found", "No backend has this id.");

  const started = performance.now();
  const outcome = await check(row, admin);
  const latencyMs = Math.round(performance.now() - started);
  const message = scrub(outcome.message, outcome.secrets).slice(0, MAX_MESSAGE);
  const checkedAt = new Date();
  const toolCount = outcome.ok ? outcome.tools.length : null;
  await db.backend.update({
    where: { id },
    data: { lastCheckAt: checkedAt, lastCheckOk: outcome.ok, lastCheckMessage: message, ...(outcome.ok ? { toolCount } : {}) },
    select: { id: true },
  });
  recordAudit({
    action: "admin.backend.test",
    outcome: outcome.ok === false ? "failure" : "success",
    userId: admin.userId,
    backend: row.slug,
    latencyMs,
    detail: { ok: outcome.ok, ...(outcome.ok ? { toolCount } : { reason: message.slice(0, 200) }) },
  });
  return { ok: outcome.ok, message, tools: outcome.tools, toolCount, authenticated: outcome.authenticated, latencyMs, checkedAt: checkedAt.toISOString() };
}

type Outcome = { ok: boolean | null; message: string; tools: BackendTool[]; authenticated: boolean; secrets: string[] };

async function check(
  row: { id: string; url: string; transport: string; timeoutMs: number; authMode: string; authConfig: unknown; providerId: string | null; secretEnc: string | null; provider: { displayName: string } | null },
  admin: TestingAdmin,
): Promise<Outcome> {
  let credential: AdminCredential;
  try {
    credential = await adminCredential({ ...row, auth: readStoredAuth(row), providerName: row.provider?.displayName }, admin);
  } catch (e) {
    return { ok: false, message: `Could not get a credential for the backend: ${(e as Error).message}`, tools: [], authenticated: false, secrets: [] };
  }
  const { missing, secrets } = credential;
  try {
    const { tools } = await listBackendTools({ url: row.url, transport: row.transport, headers: credential.headers, timeoutMs: row.timeoutMs });
    const found = `Connected: ${tools.length} tool${tools.length === 1 ? "" : "s"} (${tools.map((t) => t.name).join(", ") || "none"})`;
    return { ok: true, message: missing ? `${found}, without a credential. ${missing}.` : `${found}.`, tools, authenticated: !missing, secrets };
  } catch (e) {
    const err = e instanceof BackendCheckError ? e : new BackendCheckError((e as Error).message);
    if (missing && (err.status === 401 || err.status === 403)) {
      return { ok: null, message: `Reachable: without a credential the backend answered HTTP ${err.status}, as it should. ${missing}.`, tools: [], authenticated: false, secrets };
    }
    return { ok: false, message: missing ? `${err.message}. ${missing}.` : err.message, tools: [], authenticated: !missing, secrets };
  }
}

/** A backend may echo what it received; no credential reaches the admin's screen or the row. */
function scrub(message: string, secrets: string[]): string {
  return secrets.filter((s) => s.length >= 4).reduce((m, s) => m.split(s).join("[redacted]"), message);
}
