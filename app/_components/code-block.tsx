// A snippet to copy: a command or a file's content, with the file's name when it is one. Long lines
// scroll inside the block, never the page.
import { CopyButton } from "@/app/_components/copy-button";

export function CodeBlock({ code, file, label }: { code: string; file?: string; label: string }) {
  return (
    <div className="mt-2 overflow-hidden rounded-md border border-slate-200 bg-slate-900 text-slate-100">
      <div className="flex items-center justify-between gap-3 border-b border-slate-700 bg-slate-800 px-3 py-1.5">
        <span className="truncate font-mono text-xs text-slate-300">{file ?? "terminal"}</span>
        <CopyButton text={code} label={label} />
      </div>
      <pre className="overflow-x-auto px-3 py-2 text-xs leading-relaxed">
        <code>{code}</code>
      </pre>
    </div>
  );
}

/** Copyable one-line value, such as a URL. */
export function CopyableValue({ value, label, testId }: { value: string; label: string; testId?: string }) {
  return (
    <div className="flex min-w-0 flex-wrap items-center gap-2">
      <code data-testid={testId} className="min-w-0 rounded bg-slate-100 px-2 py-1 font-mono text-sm wrap-anywhere text-slate-900">
        {value}
      </code>
      <CopyButton text={value} label={label} />
    </div>
  );
}
