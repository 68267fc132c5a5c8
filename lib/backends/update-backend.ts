import { isDeepStrictEqual } from "node:util";
import { auditInTransaction } from "@/lib/audit/record-audit";
import { secretAad, storeAuth } from "@/lib/backends/auth-config";
import { backendSelect, toPublicBackend, type PublicBackend } from "@/lib/backends/backend-public";
import { backendPatchSchema, inboundIssues, needsSecret, SECRET_FIELD, type Actor, type BackendPatch } from "@/lib/backends/backend-schema";
import { checkProviderExists } from "@/lib/backends/check-provider";
import { checkBackendUrls, isUniqueViolation, slugTaken, validateInput } from "@/lib/backends/validate-input";
import { getKeyring } from "@/lib/crypto/keyring";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { emitChange } from "@/lib/events";

const invalid = (fields: Record<string, string[]>) => new AppError("validation", "Some fields are not valid.", fields);

/**
 * Applies a partial edit. An `auth` object replaces the mode's fields; its secret, when omitted,
 * keeps the stored one, unless the mode changes to one that needs a new secret. The audit row
 * lists the names of the changed fields, never a secret.
 */
export async function updateBackend(id: string, patch: BackendPatch, actor: Actor): Promise<PublicBackend> {
  const { auth, ...fields } = validateInput(backendPatchSchema, patch);
  checkBackendUrls({ ...fields, auth });
  const db = getDb();
  const current = await db.backend.findUnique({ where: { id }, select: { ...backendSelect, secretEnc: true } });
  if (!current) throw new AppError("not_found", "No backend has this id.");

  const data: Record<string, unknown> = {};
  const changed: string[] = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined || isDeepStrictEqual(value, current[key as keyof typeof current])) continue;
    data[key] = value;
    changed.push(key);
  }
  const problems = inboundIssues({ ...current, ...data });
  if (problems) throw invalid(problems);

  if (auth) {
    const stored = storeAuth(auth);
    if (needsSecret(stored.authMode) && stored.secret === undefined && stored.authMode !== current.authMode) {
      throw invalid({ [`auth.${SECRET_FIELD[stored.authMode]}`]: ["is required when switching to this mode"] });
    }
    if (stored.providerId && stored.providerId !== current.providerId) await checkProviderExists(stored.providerId);
    if (stored.authMode !== current.authMode) changed.push("auth.mode");
    const before = current.authConfig as Record<string, unknown>;
    for (const key of new Set([...Object.keys(before), ...Object.keys(stored.authConfig)])) {
      if (stored.authMode === current.authMode && before[key] !== stored.authConfig[key]) changed.push(`auth.${key}`);
    }
    if (stored.providerId !== current.providerId) changed.push("auth.providerId");
    Object.assign(data, { authMode: stored.authMode, authConfig: stored.authConfig, providerId: stored.providerId });
    if (!needsSecret(stored.authMode)) {
      if (current.secretEnc) changed.push("auth.secret");
      Object.assign(data, { secretEnc: null, secretSetAt: null });
    } else if (stored.secret !== undefined) {
      changed.push("auth.secret");
      Object.assign(data, { secretEnc: getKeyring().encrypt(stored.secret, secretAad(id)), secretSetAt: new Date() });
    }
  }
  if (changed.length === 0) return toPublicBackend(current);

  if (typeof data.slug === "string" && (await db.backend.findUnique({ where: { slug: data.slug }, select: { id: true } }))) {
    throw slugTaken(data.slug);
  }
  try {
    const row = await db.$transaction(async (tx) => {
      const updated = await tx.backend.update({ where: { id }, data, select: backendSelect });
      await auditInTransaction(tx, {
        action: "admin.backend.update",
        outcome: "success",
        userId: actor.userId,
        backend: updated.slug,
        detail: { changed, ...(data.slug ? { previousSlug: current.slug } : {}) },
      });
      return updated;
    });
    await emitChange({ kind: "backend", id });
    return toPublicBackend(row);
  } catch (e) {
    if (isUniqueViolation(e)) throw slugTaken(String(data.slug));
    throw e;
  }
}
