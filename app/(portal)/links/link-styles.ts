export const primaryButton =
  "inline-flex rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-60";
export const secondaryButton =
  "inline-flex rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold text-slate-700 hover:bg-slate-50 disabled:opacity-60";
export const dangerButton =
  "inline-flex rounded-md bg-red-600 px-4 py-2 text-sm font-semibold text-white hover:bg-red-700 disabled:opacity-60";

const fmt = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** A time as the portal shows it (UTC), or the fallback. */
export function when(value: Date | null | undefined, fallback = "—"): string {
  return value ? `${fmt.format(value)} UTC` : fallback;
}

/** The start route, coming back to `returnTo` when linking succeeds. */
export function startHref(slug: string, returnTo: string): string {
  return `/api/links/${encodeURIComponent(slug)}/start?returnTo=${encodeURIComponent(returnTo)}`;
}
