"use client";
// Any page that fails: a clear message and the digest to quote, never a stack trace.
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto flex min-h-screen max-w-md flex-col justify-center px-6">
      <h1 className="text-2xl font-semibold">Gatehouse could not show this page</h1>
      <p className="mt-2 text-sm text-slate-600">
        Something it depends on (most often the database) is not answering. Try again in a moment; if it keeps failing, tell your
        administrator{error.digest ? ` and quote reference ${error.digest}` : ""}.
      </p>
      <button type="button" onClick={reset} className="mt-6 w-fit rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white">
        Try again
      </button>
    </main>
  );
}
