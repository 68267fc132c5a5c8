import type { Plan } from "@/lib/config-as-code/plan-changes";

const show = (v: unknown) => (v === undefined ? "(unset)" : typeof v === "string" && v.startsWith("(") ? v : JSON.stringify(v));

/** The plan as a diff for people: `+` creates, `~` updates with one line per field. Never a secret value. */
export function formatPlan(plan: Plan): string {
  const lines: string[] = [];
  for (const change of [...plan.providers, ...plan.backends]) {
    if (change.action === "create") {
      lines.push(`+ ${change.object} ${change.slug}`);
      continue;
    }
    lines.push(`~ ${change.object} ${change.slug}`);
    for (const f of change.fields) lines.push(`    ${f.field}: ${show(f.before)} → ${show(f.after)}`);
  }
  if (plan.settings.length) lines.push("~ settings", ...plan.settings.map((f) => `    ${f.field}: ${show(f.before)} → ${show(f.after)}`));
  return lines.length ? lines.join("\n") : "no changes";
}
