// One client's steps on the Connect a client page.
import Link from "next/link";
import { CodeBlock } from "@/app/_components/code-block";
import type { ClientSetup } from "@/lib/connect/client-setup";

/** Text with `backticks` shown as code. */
function StepText({ text }: { text: string }) {
  return (
    <>
      {text.split("`").map((part, i) =>
        i % 2 ? (
          <code key={i} className="rounded bg-slate-100 px-1 font-mono text-[0.8125rem] wrap-break-word text-slate-900">
            {part}
          </code>
        ) : (
          part
        ),
      )}
    </>
  );
}

export function ClientSteps({ setup }: { setup: ClientSetup }) {
  return (
    <section id={setup.id} aria-labelledby={`${setup.id}-title`} className="scroll-mt-4 rounded-lg border border-slate-200 bg-white p-5">
      <h2 id={`${setup.id}-title`} className="text-base font-semibold text-slate-900">
        {setup.title}
      </h2>
      <ol className="mt-3 list-decimal space-y-3 pl-5 text-sm text-slate-700">
        {setup.steps.map((step, i) => (
          <li key={i} className="min-w-0">
            <StepText text={step.text} />
            {step.snippet && <CodeBlock code={step.snippet.code} file={step.snippet.file} label={`Copy: ${setup.title}, step ${i + 1}`} />}
          </li>
        ))}
      </ol>
      {setup.id === "scripts" && (
        <Link href="/tokens" className="mt-4 inline-flex text-sm font-semibold text-brand-700 hover:underline">
          Create a personal access token →
        </Link>
      )}
    </section>
  );
}
