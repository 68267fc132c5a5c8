// Who may use a backend: the one rule for the gateway's lists and calls and for the portal's
// "Connect a client" page, so the page never offers an endpoint the gateway would not serve.
import type { RuntimeBackend } from "@/lib/backends/runtime";

/** Visible when the backend lists no roles and no groups, or the caller has any listed one. */
export function isVisibleTo(
  backend: Pick<RuntimeBackend, "visibleToRoles" | "visibleToGroups">,
  caller: { roles: readonly string[]; groups: readonly string[] },
): boolean {
  if (!backend.visibleToRoles.length && !backend.visibleToGroups.length) return true;
  return backend.visibleToRoles.some((r) => caller.roles.includes(r)) || backend.visibleToGroups.some((g) => caller.groups.includes(g));
}
