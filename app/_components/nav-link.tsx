"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";

/** `block`: a full-width row, for the narrow-screen menu. */
export function NavLink({ href, children, block = false }: { href: string; children: React.ReactNode; block?: boolean }) {
  const pathname = usePathname() ?? "";
  const active = href === "/" ? pathname === "/" : pathname.startsWith(href);
  return (
    <Link
      href={href}
      aria-current={active ? "page" : undefined}
      className={`${block ? "block px-3 py-2 text-base" : "px-3 py-1.5 text-sm"} rounded-md font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:outline-brand-600 ${active ? "bg-brand-50 text-brand-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"}`}
    >
      {children}
    </Link>
  );
}
