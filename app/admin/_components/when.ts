const fmt = new Intl.DateTimeFormat("en-GB", { dateStyle: "medium", timeStyle: "short", timeZone: "UTC" });

/** A time as the console shows it (UTC), or a dash. */
export function when(value: string | Date | null | undefined): string {
  if (!value) return "—";
  return `${fmt.format(typeof value === "string" ? new Date(value) : value)} UTC`;
}
