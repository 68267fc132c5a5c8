// How a backend's outgoing auth is stored: `authMode`, the non-secret fields in `authConfig` (JSON),
// the provider in `providerId` (a foreign key, so a provider in use cannot vanish), and the one
// secret encrypted in `secretEnc`. The gateway reads rows back through readStoredAuth().
import { z } from "zod";
import { AUTH_MODES, type AuthMode, type BackendAuth, type BackendAuthPatch } from "@/lib/backends/backend-schema";
import { env } from "@/lib/env";

const optional = z.string().optional();
const storedSchemas = {
  none: z.object({}),
  static_header: z.object({ headerName: z.string() }),
  token_exchange: z.object({ tokenEndpoint: z.string(), clientId: z.string(), audience: z.string(), scope: optional }),
  linked_account: z.object({}),
  client_credentials: z.object({ tokenEndpoint: z.string(), clientId: z.string(), scope: optional, audience: optional }),
} satisfies Record<AuthMode, z.ZodType>;

export type StoredAuth =
  | { mode: "none" }
  | ({ mode: "static_header" } & z.output<typeof storedSchemas.static_header>)
  | ({ mode: "token_exchange" } & z.output<typeof storedSchemas.token_exchange>)
  | { mode: "linked_account"; providerId: string }
  | ({ mode: "client_credentials" } & z.output<typeof storedSchemas.client_credentials>);

/** A row's auth mode and non-secret fields, checked (a hand-edited row fails here, not at call time). */
export function readStoredAuth(row: { authMode: string; authConfig: unknown; providerId: string | null }): StoredAuth {
  const mode = row.authMode as AuthMode;
  if (!AUTH_MODES.includes(mode)) throw new Error(`unknown outgoing auth mode "${row.authMode}"`);
  if (mode === "linked_account") {
    if (!row.providerId) throw new Error("linked_account backend without a provider");
    return { mode, providerId: row.providerId };
  }
  const config = storedSchemas[mode].parse(row.authConfig ?? {});
  return { mode, ...config } as StoredAuth;
}

export function defaultTokenEndpoint(): string {
  return `${env().KEYCLOAK_ISSUER}/protocol/openid-connect/token`;
}

/** The columns an auth input becomes, and its secret when one was given. */
export function storeAuth(auth: BackendAuth | BackendAuthPatch): {
  authMode: AuthMode;
  authConfig: Record<string, string>;
  providerId: string | null;
  secret: string | undefined;
} {
  const strip = (o: Record<string, string | undefined>) =>
    Object.fromEntries(Object.entries(o).filter((e): e is [string, string] => e[1] !== undefined));
  switch (auth.mode) {
    case "none":
      return { authMode: "none", authConfig: {}, providerId: null, secret: undefined };
    case "static_header":
      return { authMode: auth.mode, authConfig: { headerName: auth.headerName }, providerId: null, secret: auth.value };
    case "token_exchange":
      return {
        authMode: auth.mode,
        authConfig: strip({
          tokenEndpoint: auth.tokenEndpoint ?? defaultTokenEndpoint(),
          clientId: auth.clientId,
          audience: auth.audience,
          scope: auth.scope,
        }),
        providerId: null,
        secret: auth.clientSecret,
      };
    case "linked_account":
      return { authMode: auth.mode, authConfig: {}, providerId: auth.providerId, secret: undefined };
    case "client_credentials":
      return {
        authMode: auth.mode,
        authConfig: strip({ tokenEndpoint: auth.tokenEndpoint, clientId: auth.clientId, scope: auth.scope, audience: auth.audience }),
        providerId: null,
        secret: auth.clientSecret,
      };
  }
}

/** The keyring's associated data for a backend's secret. */
export const secretAad = (id: string) => ({ table: "Backend", id, field: "secretEnc" });
