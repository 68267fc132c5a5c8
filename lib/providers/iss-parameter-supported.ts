// Whether an OIDC provider promises RFC 9207's `iss` in its authorization responses, read from its
// discovery document when an answer arrives without one. A provider that promises it and answers
// without it is refused: that is what a mix-up attack looks like (another server's answer, sent to
// this provider's callback). Remembered for a while per issuer; a failed read is not remembered.
import * as oauth from "oauth4webapi";
import { safeFetch, type SafeFetch } from "@/lib/net/safe-fetch";
import { singleton } from "@/lib/singleton";

const REMEMBER_MS = 10 * 60_000;
const TIMEOUT_MS = 10_000;
const known = singleton("providers.issParameterSupported", () => new Map<string, { supported: boolean; until: number }>());

/** true or false as the issuer's discovery document says; undefined when it could not be read. */
export async function issParameterSupported(issuer: string, fetchImpl: SafeFetch = safeFetch): Promise<boolean | undefined> {
  const hit = known.get(issuer);
  if (hit && hit.until > Date.now()) return hit.supported;
  try {
    const issuerUrl = new URL(issuer);
    const res = await oauth.discoveryRequest(issuerUrl, {
      algorithm: "oidc",
      // The outbound policy, applied by safeFetch, decides where plain http may go.
      [oauth.allowInsecureRequests]: issuerUrl.protocol === "http:",
      [oauth.customFetch]: fetchImpl,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const as = await oauth.processDiscoveryResponse(issuerUrl, res);
    const supported = as.authorization_response_iss_parameter_supported === true;
    known.set(issuer, { supported, until: Date.now() + REMEMBER_MS });
    return supported;
  } catch {
    return undefined;
  }
}
