// One backend's catalog for the caller: with the caller's credential for that backend; for a
// linked-account backend the caller has not linked, the last list any user got, else an attempt
// without a credential, else one placeholder tool that leads to the link page.
import { fetchCatalog, type Catalog } from "@/gateway/catalog/catalog";
import { linkPlaceholderCatalog } from "@/gateway/catalog/link-placeholder";
import type { RequestContext } from "@/gateway/context";
import { secretsInPlay, type Credential } from "@/gateway/credentials/credentials";
import { upstreamError } from "@/gateway/replies/upstream-errors";
import { recordAudit } from "@/lib/audit/record-audit";
import type { RuntimeBackend } from "@/lib/backends/runtime";
import { recordBackendHealth } from "@/lib/backends/runtime-health";
import { DATABASE_UNAVAILABLE, isDatabaseError } from "@/lib/db/database-error";
import { isAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { isSignInEnded } from "@/lib/oauth-server/sign-in-ended";

const ANONYMOUS: Credential = { headers: {}, identity: "anonymous" };

export async function catalogFor(ctx: RequestContext, backend: RuntimeBackend): Promise<Catalog | undefined> {
  const { credentials, catalogs, pool } = ctx.parts;
  const load = (credential: Credential) =>
    catalogs.get(backend, credential.identity, async () => {
      const session = await pool.acquire(backend, credential);
      return fetchCatalog(session).catch((e: unknown) =>
        Promise.reject(upstreamError(backend, e, secretsInPlay(backend, credential, ctx.caller))),
      );
    });
  try {
    const credential = await credentials.forBackend(backend, ctx.caller);
    const catalog = await load(credential);
    recordBackendHealth({
      backendId: backend.id,
      ok: true,
      message: `Listed by the gateway: ${catalog.tools.length} tools.`,
      toolCount: catalog.tools.length,
    });
    return catalog;
  } catch (e) {
    // The caller's own sign-in ended: every list would lack this backend until they sign in again,
    // and only the client can do that, so the whole request answers 401 (handle-request.ts).
    if (isSignInEnded(e)) throw e;
    if (isAppError(e) && e.code === "link_required") {
      return catalogs.lastKnownOf(backend) ?? load(ANONYMOUS).catch(() => linkPlaceholderCatalog(backend));
    }
    // A database failure (the credential could not be read) is logged and shown as such, without the driver's text.
    const message = isDatabaseError(e) ? DATABASE_UNAVAILABLE : (e as Error).message;
    log.warn({ backend: backend.slug, err: message }, "backend left out of the list");
    if (recordBackendHealth({ backendId: backend.id, ok: false, message })) {
      recordAudit({
        action: "backend_list",
        outcome: "failure",
        userId: ctx.caller.userId,
        clientId: ctx.caller.clientId,
        backend: backend.slug,
        detail: { error: message },
      });
    }
    return undefined;
  }
}
