// Form building blocks for the console. Each input's name is the schema path its errors come back on.
export const inputClass =
  "block w-full rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm shadow-sm focus:border-brand-600 focus:outline-none focus:ring-1 focus:ring-brand-600 aria-[invalid=true]:border-red-500";

export function Field({
  label,
  name,
  hint,
  errors,
  children,
}: {
  label: string;
  name: string;
  hint?: React.ReactNode;
  errors?: string[];
  children: React.ReactNode;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={name} className="block text-sm font-medium text-slate-700">
        {label}
      </label>
      {children}
      {hint && <p className="text-xs text-slate-500">{hint}</p>}
      <FieldErrors name={name} errors={errors} />
    </div>
  );
}

export function FieldErrors({ name, errors }: { name: string; errors?: string[] }) {
  if (!errors?.length) return null;
  return (
    <p id={`${name}-error`} className="text-xs font-medium text-red-700" data-testid={`error-${name}`}>
      {errors.join("; ")}
    </p>
  );
}

export function TextInput(
  props: { name: string; defaultValue?: string | number | null; errors?: string[] } & Omit<
    React.InputHTMLAttributes<HTMLInputElement>,
    "defaultValue"
  >,
) {
  const { name, defaultValue, errors, ...rest } = props;
  return (
    <input
      id={name}
      name={name}
      defaultValue={defaultValue ?? undefined}
      aria-invalid={errors?.length ? true : undefined}
      aria-describedby={errors?.length ? `${name}-error` : undefined}
      className={inputClass}
      {...rest}
    />
  );
}

export function FormMessage({ message, tone = "error" }: { message?: string; tone?: "error" | "success" }) {
  if (!message) return null;
  const colours = tone === "error" ? "border-red-200 bg-red-50 text-red-800" : "border-emerald-200 bg-emerald-50 text-emerald-800";
  return (
    <div role={tone === "error" ? "alert" : "status"} className={`rounded-md border px-4 py-2 text-sm ${colours}`}>
      {message}
    </div>
  );
}

export function Section({ title, description, children }: { title: string; description?: string; children: React.ReactNode }) {
  return (
    <fieldset className="space-y-4 rounded-lg border border-slate-200 bg-white p-5">
      <legend className="px-1 text-sm font-semibold text-slate-900">{title}</legend>
      {description && <p className="-mt-2 text-xs text-slate-500">{description}</p>}
      {children}
    </fieldset>
  );
}

export const primaryButton =
  "rounded-md bg-brand-600 px-4 py-2 text-sm font-semibold text-white shadow-sm hover:bg-brand-700 disabled:opacity-60";
export const secondaryButton =
  "rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-50 disabled:opacity-60";
export const dangerButton = "rounded-md bg-red-600 px-3 py-1.5 text-sm font-semibold text-white hover:bg-red-700 disabled:opacity-60";
