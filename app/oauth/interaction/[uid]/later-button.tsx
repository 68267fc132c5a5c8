"use client";

// "Later" changes nothing on the server: the client gets this backend's tools anyway, and the gateway
// asks the person to link (URL elicitation) the first time one is used. The button only says so, and
// stays in place so keyboard focus is not lost.
import { useState } from "react";
import { smallSecondary } from "@/app/oauth/interaction/[uid]/consent-styles";

export function LaterButton({ backend, provider, client }: { backend: string; provider: string; client: string }) {
  const [chosen, setChosen] = useState(false);
  return (
    <>
      <button type="button" className={smallSecondary} aria-pressed={chosen} onClick={() => setChosen(true)}>
        Later
      </button>
      {chosen && (
        <p role="status" className="basis-full text-sm text-slate-600">
          {client} gets {backend}&apos;s tools now; the first time it uses one, it will ask you to link {provider}.
        </p>
      )}
    </>
  );
}
