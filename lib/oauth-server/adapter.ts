// oidc-provider's storage on PostgreSQL/PGlite through Prisma: one OAuthModel row per (kind, id), so
// every replica sees the same clients, grants, sessions, interactions, codes and refresh tokens.
// Expired rows are never returned (and swept now and then); a client an admin disabled is not found
// (disabled-clients.ts); a revoked grant is recorded for the gateways of every replica
// (revoked-grants.ts), since JWT access tokens are not stored.
import type { Adapter, AdapterPayload } from "oidc-provider";
import { getDb, Prisma } from "@/lib/db";
import { log } from "@/lib/log";
import { clientFromMetadataDocument } from "@/lib/oauth-server/client-metadata-document";
import { isClientDisabled } from "@/lib/oauth-server/disabled-clients";
import { recordRevokedGrant } from "@/lib/oauth-server/revoked-grants";

const SWEEP_EVERY_WRITES = 500;
let writes = 0;

export type ClientLookup = (clientId: string) => Promise<AdapterPayload | undefined>;

/** `clientLookup` answers client ids the table does not hold (by default: Client ID Metadata Document URLs). */
export function createPrismaAdapter(opts: { clientLookup?: ClientLookup } = {}): (kind: string) => Adapter {
  return (kind) => new PrismaAdapter(kind, opts.clientLookup ?? clientFromMetadataDocument);
}

class PrismaAdapter implements Adapter {
  constructor(
    private readonly kind: string,
    private readonly clientLookup: ClientLookup,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn: number): Promise<void> {
    const data = {
      payload: payload as Prisma.InputJsonValue,
      grantId: payload.grantId ?? null,
      uid: payload.uid ?? null,
      userCode: payload.userCode ?? null,
      expiresAt: expiresIn ? new Date(Date.now() + expiresIn * 1000) : null,
    };
    await getDb().oAuthModel.upsert({
      where: { kind_id: { kind: this.kind, id } },
      create: { kind: this.kind, id, ...data },
      update: data,
    });
    if (++writes % SWEEP_EVERY_WRITES === 0) void sweepExpired();
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    if (this.kind === "Client" && (await isClientDisabled(id))) return undefined;
    const row = await getDb().oAuthModel.findUnique({
      where: { kind_id: { kind: this.kind, id } },
      select: { payload: true, expiresAt: true },
    });
    if (row) return live(row);
    if (this.kind === "Client") return this.clientLookup(id);
    return undefined;
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const row = await getDb().oAuthModel.findFirst({ where: { kind: this.kind, uid }, select: { payload: true, expiresAt: true } });
    return row ? live(row) : undefined;
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const row = await getDb().oAuthModel.findFirst({ where: { kind: this.kind, userCode }, select: { payload: true, expiresAt: true } });
    return row ? live(row) : undefined;
  }

  async consume(id: string): Promise<void> {
    // oidc-provider reads `consumed` from the payload: a consumed code or rotated refresh token
    // presented again makes it revoke the whole grant.
    const now = Math.floor(Date.now() / 1000);
    await getDb()
      .$executeRaw`UPDATE "OAuthModel" SET payload = jsonb_set(payload, '{consumed}', to_jsonb(${now}::int)), "consumedAt" = now() WHERE kind = ${this.kind} AND id = ${id}`;
  }

  async destroy(id: string): Promise<void> {
    if (this.kind === "Grant") {
      const grant = await getDb().oAuthModel.findUnique({ where: { kind_id: { kind: "Grant", id } }, select: { id: true } });
      if (grant) await recordRevokedGrant(id);
    }
    await getDb().oAuthModel.deleteMany({ where: { kind: this.kind, id } });
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await getDb().oAuthModel.deleteMany({ where: { kind: this.kind, grantId } });
  }
}

function live(row: { payload: Prisma.JsonValue; expiresAt: Date | null }): AdapterPayload | undefined {
  if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return undefined;
  return row.payload as AdapterPayload;
}

async function sweepExpired(): Promise<void> {
  try {
    const now = new Date();
    await getDb().oAuthModel.deleteMany({ where: { expiresAt: { lte: now } } });
    await getDb().oAuthRevokedGrant.deleteMany({ where: { expiresAt: { lte: now } } });
  } catch (e) {
    log.warn({ err: (e as Error).message }, "sweeping expired authorization server records failed");
  }
}
