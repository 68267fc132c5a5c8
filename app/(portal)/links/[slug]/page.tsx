// Link one provider: where the portal's callback lands, and where an MCP client sends a user whose
// tool call needs a linked account (URL elicitation). One button; afterwards, back to the client.
import { notFound } from "next/navigation";
import { PageHeader } from "@/app/_components/shell";
import { primaryButton, startHref, when } from "@/app/(portal)/links/link-styles";
import { requireUser } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { findLinksForUser, isLinkFailureReason, linkFailureMessage, safeOAuthErrorCode } from "@/lib/links";
import { getProviderBySlug } from "@/lib/providers";

export const metadata = { title: "Link an account" };
export const dynamic = "force-dynamic";

type Search = { linked?: string; error?: string; code?: string; user?: string };

export default async function LinkProviderPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Search>;
}) {
  const user = await requireUser();
  const { slug } = await params;
  const sp = await searchParams;
  const provider = await getProviderBySlug(slug).catch((e: unknown) => {
    if (isAppError(e) && e.code === "not_found") return null;
    throw e;
  });
  if (!provider?.enabled) notFound();
  const name = provider.displayName;
  const link = (await findLinksForUser(user.userId)).find((l) => l.providerId === provider.id);
  const here = `/links/${encodeURIComponent(provider.slug)}`;

  // A link URL made for one Gatehouse user (`?user=<id>`) must be completed by that same user.
  if (sp.user && sp.user !== user.userId) {
    return (
      <Frame name={name}>
        <p role="alert" className="rounded-md bg-amber-50 px-4 py-3 text-sm text-amber-900">
          This link was requested for a different Gatehouse account than the one you are signed in as ({user.username ?? user.email}). Sign
          out, sign in as the account your AI client uses, and open the link again.
        </p>
      </Frame>
    );
  }

  const error = isLinkFailureReason(sp.error) ? linkFailureMessage(sp.error, name, safeOAuthErrorCode(sp.code)) : undefined;
  const justLinked = sp.linked === "1" && link?.status === "active";
  return (
    <Frame name={name}>
      {justLinked ? (
        <div role="status" className="rounded-md bg-emerald-50 px-4 py-3 text-sm text-emerald-900" data-testid="link-done">
          <p className="font-semibold">Linked as {link.externalName}.</p>
          <p className="mt-1">You can return to your AI client now.</p>
        </div>
      ) : (
        <>
          {error && (
            <p role="alert" className="mb-4 rounded-md bg-red-50 px-4 py-3 text-sm text-red-800">
              {error}
            </p>
          )}
          <p className="text-sm text-slate-700">
            {link?.status === "active"
              ? `Your ${name} account is linked as ${link.externalName} (token expires ${when(link.expiresAt, "never")}). Link again to replace it.`
              : link?.status === "needs_relink"
                ? `Your ${name} link needs to be renewed: ${link.statusReason ?? "the stored access no longer works"}.`
                : `Tools that act as you at ${name} need your ${name} account. You will sign in at ${name} and approve access for Gatehouse.`}
          </p>
          <a href={startHref(provider.slug, `${here}?linked=1`)} className={`${primaryButton} mt-4`}>
            Link {name}
          </a>
        </>
      )}
    </Frame>
  );
}

function Frame({ name, children }: { name: string; children: React.ReactNode }) {
  return (
    <>
      <PageHeader
        title={`Link your ${name} account`}
        description="Gatehouse keeps the tokens encrypted and uses them only for your own calls."
      />
      <div className="max-w-2xl rounded-lg border border-slate-200 bg-white p-6">{children}</div>
    </>
  );
}
