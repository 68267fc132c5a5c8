// The consent page's controls: the portal's button looks, with a focus ring a keyboard user can see.
import { primaryButton, secondaryButton } from "@/app/(portal)/links/link-styles";

const focusRing = "focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600";

export const approveButton = `${primaryButton} ${focusRing} justify-center`;
export const denyButton = `${secondaryButton} ${focusRing} justify-center`;
export const smallPrimary = `inline-flex rounded-md bg-brand-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-brand-700 ${focusRing}`;
export const smallSecondary = `inline-flex rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-semibold text-slate-700 hover:bg-slate-50 ${focusRing}`;
export const textLink = `text-brand-700 underline underline-offset-2 hover:text-brand-600 rounded-sm ${focusRing}`;
