// The one schema for creating a personal access token, shared by the portal's form and its action:
// a name, an endpoint (all backends, or one backend's slug), and an expiry of N days or a date,
// never past PAT_MAX_DAYS.
import { z } from "zod";
import { env } from "@/lib/env";

export const EXPIRY_CHOICES = [7, 30, 90] as const;
const DAY_MS = 86_400_000;

export const personalAccessTokenInputSchema = z
  .object({
    name: z.string().trim().min(1, "Give the token a name, e.g. the agent or pipeline that uses it.").max(100, "At most 100 characters."),
    /** "" (or absent) for /api/mcp, else a backend's slug for /api/mcp/<slug>. */
    backend: z
      .string()
      .trim()
      .max(100)
      .regex(/^([a-z0-9][a-z0-9-]*)?$/, "Choose an endpoint from the list.")
      .default(""),
    /** A number of days, or "custom" with `expiresOn`. */
    expiry: z.string().default("30"),
    expiresOn: z.string().optional(),
  })
  .transform((v, ctx) => {
    const expiresAt = expiryDate(v.expiry, v.expiresOn);
    if (typeof expiresAt === "string") {
      ctx.addIssue({ code: "custom", path: [v.expiry === "custom" ? "expiresOn" : "expiry"], message: expiresAt });
      return z.NEVER;
    }
    return { name: v.name, backend: v.backend || null, expiresAt };
  });

export type PersonalAccessTokenInput = z.output<typeof personalAccessTokenInputSchema>;

/** The expiry as a date, or the reason it is refused. */
function expiryDate(expiry: string, expiresOn: string | undefined, now = Date.now()): Date | string {
  const maxDays = env().PAT_MAX_DAYS;
  const latest = now + maxDays * DAY_MS;
  if (expiry === "custom") {
    if (!expiresOn || !/^\d{4}-\d{2}-\d{2}$/.test(expiresOn)) return "Pick a date, e.g. 2026-12-31.";
    // The end of the chosen day, UTC: a token "until the 31st" works all of the 31st.
    const at = new Date(`${expiresOn}T23:59:59Z`);
    if (Number.isNaN(at.getTime())) return "Pick a valid date.";
    if (at.getTime() <= now) return "Pick a date in the future.";
    if (at.getTime() > latest + DAY_MS) return `Tokens live at most ${maxDays} days; pick a date no later than that.`;
    return new Date(Math.min(at.getTime(), latest));
  }
  const days = Number(expiry);
  if (!Number.isInteger(days) || days < 1) return "Choose how long the token lives.";
  if (days > maxDays) return `Tokens live at most ${maxDays} days.`;
  return new Date(now + days * DAY_MS);
}
