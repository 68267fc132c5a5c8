import { randomUUID } from "node:crypto";
import { auditInTransaction } from "@/lib/audit/record-audit";
import { secretAad, storeAuth } from "@/lib/backends/auth-config";
import { backendSelect, toPublicBackend, type PublicBackend } from "@/lib/backends/backend-public";
import { backendInputSchema, type Actor, type BackendInput } from "@/lib/backends/backend-schema";
import { checkProviderExists } from "@/lib/backends/check-provider";
import { checkBackendUrls, isUniqueViolation, slugTaken, validateInput } from "@/lib/backends/validate-input";
import { getKeyring } from "@/lib/crypto/keyring";
import { getDb } from "@/lib/db";
import { emitChange } from "@/lib/events";

/** Creates a backend and its audit row together; 422 on bad fields, 409 when the slug is taken. */
export async function createBackend(input: BackendInput, actor: Actor): Promise<PublicBackend> {
  const { auth, ...b } = validateInput(backendInputSchema, input);
  checkBackendUrls({ ...b, auth });
  const stored = storeAuth(auth);
  if (stored.providerId) await checkProviderExists(stored.providerId);
  const db = getDb();
  if (await db.backend.findUnique({ where: { slug: b.slug }, select: { id: true } })) throw slugTaken(b.slug);

  // The id exists before the row so the secret's ciphertext can be bound to it.
  const id = randomUUID();
  const secretEnc = stored.secret === undefined ? null : getKeyring().encrypt(stored.secret, secretAad(id));
  try {
    const row = await db.$transaction(async (tx) => {
      const created = await tx.backend.create({
        data: {
          id,
          ...b,
          authMode: stored.authMode,
          authConfig: stored.authConfig,
          providerId: stored.providerId,
          secretEnc,
          secretSetAt: secretEnc ? new Date() : null,
        },
        select: backendSelect,
      });
      await auditInTransaction(tx, {
        action: "admin.backend.create",
        outcome: "success",
        userId: actor.userId,
        backend: b.slug,
        detail: { authMode: stored.authMode, enabled: b.enabled },
      });
      return created;
    });
    await emitChange({ kind: "backend", id });
    return toPublicBackend(row);
  } catch (e) {
    if (isUniqueViolation(e)) throw slugTaken(b.slug);
    throw e;
  }
}
