// The credential Test connection can use for an admin: the mode's own where the server holds it
// (static header, client credentials), the admin's own where the mode needs a user (token exchange
// of the admin's bearer token, the admin's linked account). Otherwise no credential and a note
// saying why, and the check still reports whether the backend is reachable.
import { getKeyring } from "@/lib/crypto/keyring";
import type { StoredAuth } from "@/lib/backends/auth-config";
import { secretAad } from "@/lib/backends/auth-config";
import { requestAccessToken } from "@/lib/backends/request-access-token";
import { adminLinkedToken } from "@/lib/backends/admin-linked-token";

export interface TestingAdmin {
  userId: string;
  /** The admin's Keycloak access token, when the request came with one (REST with Bearer). */
  accessToken?: string;
}

export interface AdminCredential {
  headers: Record<string, string>;
  /** Why no credential could be had; the check is then a reachability check only. */
  missing?: string;
  /** Values to scrub from any message shown to the admin. */
  secrets: string[];
}

export async function adminCredential(
  backend: { id: string; secretEnc: string | null; timeoutMs: number; auth: StoredAuth; providerName?: string },
  admin: TestingAdmin,
): Promise<AdminCredential> {
  const { auth } = backend;
  const secret = () => {
    if (!backend.secretEnc) throw new Error("the backend's secret is not set; replace it on the edit page");
    return getKeyring().decrypt(backend.secretEnc, secretAad(backend.id));
  };
  switch (auth.mode) {
    case "none":
      return { headers: {}, secrets: [] };
    case "static_header": {
      const value = secret();
      return { headers: { [auth.headerName]: value }, secrets: [value] };
    }
    case "client_credentials": {
      const clientSecret = secret();
      const { accessToken: token } = await requestAccessToken({ ...auth, clientSecret, timeoutMs: backend.timeoutMs });
      return { headers: { authorization: `Bearer ${token}` }, secrets: [clientSecret, token] };
    }
    case "token_exchange": {
      if (!admin.accessToken) {
        return {
          headers: {},
          secrets: [],
          missing:
            "A token-exchange backend can only be tested with the admin's own token: call POST /api/admin/backends/{id}/test with your Keycloak access token as Bearer. Without it, only reachability was checked",
        };
      }
      const clientSecret = secret();
      const { accessToken: token } = await requestAccessToken({ ...auth, clientSecret, subjectToken: admin.accessToken, timeoutMs: backend.timeoutMs });
      return { headers: { authorization: `Bearer ${token}` }, secrets: [clientSecret, token, admin.accessToken] };
    }
    case "linked_account": {
      const token = await adminLinkedToken(admin.userId, auth.providerId);
      if (!token) {
        return { headers: {}, secrets: [], missing: `Link ${backend.providerName ?? "the provider"} in your linked accounts to test this backend; only reachability was checked` };
      }
      return { headers: { authorization: `Bearer ${token}` }, secrets: [token] };
    }
  }
}
