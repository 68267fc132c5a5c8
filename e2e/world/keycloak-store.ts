// oidc-provider's storage for one realm, in memory. Its bundled memory adapter is a module-wide
// LRU shared by every provider in the process, so two test worlds would share (and evict) each
// other's sessions; this one belongs to a single server and needs no timers: entries expire lazily.
import { jwtVerify } from "jose";
import type { Adapter, AdapterPayload } from "oidc-provider";
import type { RealmState } from "@/e2e/world/keycloak-realm";

interface Entry {
  payload: AdapterPayload;
  expiresAt?: number;
}

/** Turns a presented JWT access token into the `jti` it was stored under, or undefined. */
export type JwtToJti = (token: string) => Promise<string | undefined>;

/** Checks the realm's signature and issuer before trusting a JWT's jti. Expiry is the record's business. */
export function realmJwtToJti(realm: RealmState): JwtToJti {
  return async (token) => {
    try {
      const { payload } = await jwtVerify(token, realm.keys.publicKey, {
        issuer: realm.issuer,
        algorithms: ["RS256"],
        currentDate: new Date(0),
      });
      return typeof payload.jti === "string" ? payload.jti : undefined;
    } catch {
      return undefined;
    }
  };
}

const SWEEP_EVERY = 1_000;
const JWT_MODELS = new Set(["AccessToken", "ClientCredentials"]);

export function createRealmStore(jwtToJti: JwtToJti): (model: string) => Adapter {
  const entries = new Map<string, Entry>();
  const byUid = new Map<string, string>();
  const byUserCode = new Map<string, string>();
  const byGrant = new Map<string, Set<string>>();
  let writes = 0;

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry?.expiresAt !== undefined && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  // Without timers, expired entries would only go when read; sweep now and then on writes.
  const sweep = () => {
    for (const key of entries.keys()) live(key);
  };

  return (model: string): Adapter => {
    const keyFor = (id: string) => `${model}:${id}`;
    const find = async (id: string) => live(keyFor(id))?.payload;
    const findBy = (index: Map<string, string>, value: string) => {
      const id = index.get(keyFor(value));
      return id === undefined ? undefined : find(id);
    };

    return {
      async upsert(id, payload, expiresIn) {
        const key = keyFor(id);
        entries.set(key, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : undefined });
        if (payload.uid) byUid.set(keyFor(payload.uid), id);
        if (payload.userCode) byUserCode.set(keyFor(payload.userCode), id);
        if (payload.grantId) {
          const members = byGrant.get(payload.grantId) ?? new Set<string>();
          byGrant.set(payload.grantId, members.add(key));
        }
        if (++writes % SWEEP_EVERY === 0) sweep();
      },
      async find(id) {
        // JWT access tokens are recorded under their jti but presented whole (userinfo, token
        // exchange); only a token signed by the realm maps to its record.
        if (JWT_MODELS.has(model) && id.split(".").length === 3) {
          const jti = await jwtToJti(id);
          return jti === undefined ? undefined : find(jti);
        }
        return find(id);
      },
      findByUid: async (uid) => findBy(byUid, uid),
      findByUserCode: async (userCode) => findBy(byUserCode, userCode),
      async consume(id) {
        const entry = live(keyFor(id));
        if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        entries.delete(keyFor(id));
      },
      async revokeByGrantId(grantId) {
        for (const key of byGrant.get(grantId) ?? []) entries.delete(key);
        byGrant.delete(grantId);
      },
    };
  };
}
