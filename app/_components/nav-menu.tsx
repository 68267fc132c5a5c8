"use client";

// The navigation on narrow screens: a native disclosure (<details>), so it opens with a tap, Enter or
// Space even before scripts load. The little script closes it after a navigation and on Escape,
// handing focus back to its button.
import { usePathname } from "next/navigation";
import { useEffect, useRef } from "react";

export function NavMenu({ children }: { children: React.ReactNode }) {
  const ref = useRef<HTMLDetailsElement>(null);
  const pathname = usePathname();
  useEffect(() => {
    if (ref.current) ref.current.open = false;
  }, [pathname]);
  const onKeyDown = (e: React.KeyboardEvent) => {
    if (e.key !== "Escape" || !ref.current?.open) return;
    ref.current.open = false;
    ref.current.querySelector("summary")?.focus();
  };
  return (
    <details ref={ref} onKeyDown={onKeyDown} className="group ml-auto lg:hidden" data-testid="nav-menu">
      <summary className="flex cursor-pointer list-none items-center gap-2 rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-brand-600 [&::-webkit-details-marker]:hidden">
        <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4 fill-current">
          <path d="M3 5h14v1.5H3zM3 9.25h14v1.5H3zM3 13.5h14V15H3z" className="group-open:hidden" />
          <path d="m5.05 4 10.95 10.95-1.05 1.05L4 5.05zM16 5.05 5.05 16 4 14.95 14.95 4z" className="hidden group-open:block" />
        </svg>
        Menu
      </summary>
      <div className="absolute inset-x-0 top-full z-30 max-h-[calc(100vh-4rem)] overflow-y-auto border-b border-slate-200 bg-white px-4 py-3 shadow-lg">
        {children}
      </div>
    </details>
  );
}
