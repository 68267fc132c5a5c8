// Marks a backend or provider that `gatehouse apply` manages: an edit here lasts until the next apply.
export function ManagedByFileNotice({ managedBy }: { managedBy: string | null }) {
  if (managedBy !== "file") return null;
  return (
    <p role="note" className="flex items-center gap-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
      <span className="rounded bg-amber-200 px-1.5 py-0.5 text-xs font-semibold uppercase tracking-wide">Managed by file</span>
      Set by <code>gatehouse apply</code> from a configuration file: changes made here are replaced by the next apply.
    </p>
  );
}

/** The short form for tables. */
export function ManagedByFileBadge({ managedBy }: { managedBy: string | null }) {
  if (managedBy !== "file") return null;
  return (
    <span title="Managed by gatehouse apply" className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs font-medium text-amber-900">
      file
    </span>
  );
}
