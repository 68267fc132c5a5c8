// Test connection (console and REST): the backend reached exactly as a real call reaches it — the
// same credential function (credentials.ts, with the admin as the subject), the same upstream client
// (upstream-client.ts), the same failure describer and secret scrubber — then its tools listed. The
// answer is a status and a reason, never the backend's response body: neither a credential a backend
// echoes nor the content of a URL an admin points at can be read through it.
import { fetchTools } from "@/gateway/catalog/catalog";
import { connectionFailureMessage, missingCredentialNote } from "@/gateway/console/connection-messages";
import { getCredentialStore, secretsInPlay, type Credential, type CredentialSubject } from "@/gateway/credentials/credentials";
import { describeUpstreamFailure } from "@/gateway/replies/upstream-errors";
import { closeUpstreamSession, connectUpstreamSession, createUpstreamSession } from "@/gateway/upstream/upstream-client";
import { recordBackendEra } from "@/lib/backends/record-backend-era";
import { recordConnectionCheck } from "@/lib/backends/record-connection-check";
import { loadRuntimeBackend, type RuntimeBackend } from "@/lib/backends/runtime";
import { AppError, isAppError } from "@/lib/errors";
import { scrubSecrets } from "@/lib/scrub-secrets";

export interface TestingAdmin {
  userId: string;
  /** The admin's Keycloak access token, when the request came with one (REST with Bearer). */
  accessToken?: string;
}

export interface BackendTool {
  name: string;
  description?: string;
}

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

type Outcome = Pick<ConnectionTestResult, "ok" | "message" | "tools" | "authenticated"> & { secrets: string[] };

const MAX_MESSAGE = 1000;
const NO_CREDENTIAL: Credential = { headers: {}, identity: "anonymous" };

export async function testBackendConnection(id: string, { admin }: { admin: TestingAdmin }): Promise<ConnectionTestResult> {
  const backend = await loadRuntimeBackend(id);
  if (!backend) throw new AppError("not_found", "No backend has this id.");
  const started = performance.now();
  const outcome = await check(backend, { userId: admin.userId, token: admin.accessToken });
  const latencyMs = Math.round(performance.now() - started);
  const message = scrubSecrets(outcome.message, outcome.secrets).slice(0, MAX_MESSAGE);
  const checkedAt = new Date();
  const toolCount = outcome.ok ? outcome.tools.length : null;
  await recordConnectionCheck({
    backendId: backend.id,
    backendSlug: backend.slug,
    adminUserId: admin.userId,
    ok: outcome.ok,
    message,
    toolCount,
    latencyMs,
    checkedAt,
  });
  return {
    ok: outcome.ok,
    message,
    tools: outcome.tools,
    toolCount,
    authenticated: outcome.authenticated,
    latencyMs,
    checkedAt: checkedAt.toISOString(),
  };
}

async function check(backend: RuntimeBackend, subject: CredentialSubject): Promise<Outcome> {
  let credential = NO_CREDENTIAL;
  // Why the admin cannot have a credential for this backend; the check is then one of reachability.
  let missing: string | undefined;
  try {
    const pending = getCredentialStore().forBackend(backend, subject);
    credential = pending instanceof Promise ? await pending : pending;
  } catch (e) {
    missing = missingCredentialNote(backend, e);
    if (missing === undefined) {
      const why = isAppError(e) ? e.message : "the credential could not be had";
      return {
        ok: false,
        message: `Could not get a credential for the backend: ${why}`,
        tools: [],
        authenticated: false,
        secrets: secretsInPlay(backend, undefined, subject),
      };
    }
  }
  const secrets = secretsInPlay(backend, credential, subject);
  const session = createUpstreamSession(`test:${backend.id}`, backend, credential);
  try {
    await connectUpstreamSession(session, { fresh: true });
    await recordBackendEra(backend.id, session.era, session.protocolVersion);
    const tools = (await fetchTools(session)).map((t) => ({ name: t.name, ...(t.description ? { description: t.description } : {}) }));
    const found = `Connected: ${tools.length} tool${tools.length === 1 ? "" : "s"} (${tools.map((t) => t.name).join(", ") || "none"})`;
    return {
      ok: true,
      message: missing ? `${found}, without a credential. ${missing}.` : `${found}.`,
      tools,
      authenticated: !missing,
      secrets,
    };
  } catch (e) {
    const failure = describeUpstreamFailure(e, backend.timeoutMs);
    if (missing && (failure.status === 401 || failure.status === 403)) {
      return {
        ok: null,
        message: `Reachable: without a credential the backend answered HTTP ${failure.status}, as it should. ${missing}.`,
        tools: [],
        authenticated: false,
        secrets,
      };
    }
    const failed = connectionFailureMessage(failure, backend, credential !== NO_CREDENTIAL && Object.keys(credential.headers).length > 0);
    return { ok: false, message: missing ? `${failed} ${missing}.` : failed, tools: [], authenticated: !missing, secrets };
  } finally {
    await closeUpstreamSession(session);
  }
}
