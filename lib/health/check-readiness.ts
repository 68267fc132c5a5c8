// Readiness (/api/health/ready): may this replica take traffic? Not while it shuts down; and only
// with its database answering, its keyring loaded, the IdP's metadata reachable (to verify new
// tokens) and the change bus listening (else it may serve state another replica changed).
import { auditSpool } from "@/lib/audit/record-audit";
import { bus } from "@/lib/bus/bus";
import { getKeyring } from "@/lib/crypto/keyring";
import { getDatabase, redact } from "@/lib/db";
import { env } from "@/lib/env";
import { isDraining } from "@/lib/health/draining";
import { fetchOutboundJson } from "@/lib/net/fetch-outbound-json";
import { singleton } from "@/lib/singleton";

export interface Readiness {
  ready: boolean;
  checks: Record<"draining" | "database" | "keyring" | "idp" | "bus", "ok" | string>;
  audit: { spooled: number; dropped: number };
}

// The IdP is asked at most this often: probes come every few seconds from every load balancer.
const IDP_CHECK_EVERY_MS = 15_000;
const idp = singleton("health.idp", () => ({ at: 0, result: "ok" as string }));

export async function checkReadiness(): Promise<Readiness> {
  const [database, idpResult] = await Promise.all([checkDatabase(), checkIdp()]);
  const checks: Readiness["checks"] = {
    draining: isDraining() ? "shutting down" : "ok",
    database,
    keyring: checkKeyring(),
    idp: idpResult,
    bus: bus().status().listening ? "ok" : "not listening: other replicas' changes may be missed",
  };
  const { spooled, dropped } = auditSpool();
  return { ready: Object.values(checks).every((c) => c === "ok"), checks, audit: { spooled, dropped } };
}

async function checkDatabase(): Promise<string> {
  try {
    await getDatabase().runRawQuery("SELECT 1");
    return "ok";
  } catch {
    return "unreachable";
  }
}

function checkKeyring(): string {
  try {
    getKeyring();
    return "ok";
  } catch (e) {
    return redact((e as Error).message);
  }
}

async function checkIdp(): Promise<string> {
  if (Date.now() - idp.at < IDP_CHECK_EVERY_MS) return idp.result;
  idp.at = Date.now();
  try {
    await fetchOutboundJson(`${env().KEYCLOAK_ISSUER.replace(/\/$/, "")}/.well-known/openid-configuration`, { timeoutMs: 2_000 });
    idp.result = "ok";
  } catch {
    idp.result = "metadata unreachable";
  }
  return idp.result;
}
