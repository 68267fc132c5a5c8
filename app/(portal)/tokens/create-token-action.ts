"use server";

// Create a personal access token for the signed-in user. The answer carries the token this once:
// it is in no page, list or later answer, and only its hash is stored.
import { revalidatePath } from "next/cache";
import { requireUser } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { createPersonalAccessToken } from "@/lib/personal-access-tokens/create-personal-access-token";
import { personalAccessTokenInputSchema } from "@/lib/personal-access-tokens/personal-access-token-schema";

export type CreateTokenState =
  | { ok: true; token: string; name: string; resource: string; expiresAt: string }
  | { ok: false; message: string; fields?: Record<string, string[]> }
  | null;

export async function createTokenAction(_prev: CreateTokenState, form: FormData): Promise<CreateTokenState> {
  const user = await requireUser();
  const text = (name: string) => (typeof form.get(name) === "string" ? (form.get(name) as string) : undefined);
  const parsed = personalAccessTokenInputSchema.safeParse({
    name: text("name"),
    backend: text("backend"),
    expiry: text("expiry"),
    expiresOn: text("expiresOn"),
  });
  if (!parsed.success) {
    const fields: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) (fields[String(issue.path[0] ?? "name")] ??= []).push(issue.message);
    return { ok: false, message: "Check the highlighted fields.", fields };
  }
  try {
    const created = await createPersonalAccessToken({ user, input: parsed.data });
    revalidatePath("/tokens");
    return { ok: true, token: created.token, name: created.name, resource: created.resource, expiresAt: created.expiresAt.toISOString() };
  } catch (e) {
    if (isAppError(e) && e.status < 500) return { ok: false, message: e.message, fields: e.fields };
    throw e;
  }
}
