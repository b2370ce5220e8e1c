/**
 * Billing terms and money formatting: turns a one-off or periodic amount into USD per month, and
 * prints amounts the same way everywhere. Money is never rounded in arithmetic, only in text.
 */

/** `perpetual`: bought once, amortised; `month` / `year`: a subscription for that period. */
export type Billing = "perpetual" | "month" | "year";
export const BILLINGS: readonly Billing[] = ["perpetual", "month", "year"];

/** Perpetual licences are spread over a typical 3-year refresh (judgement; docs/calibration.md, judgement). */
export const DEFAULT_AMORTIZE_MONTHS = 36;

/** USD per month for `amount` USD billed as `billing`. */
export function monthly(amount: number, billing: Billing, amortizeMonths = DEFAULT_AMORTIZE_MONTHS): number {
  switch (billing) {
    case "perpetual":
      return amount / amortizeMonths;
    case "year":
      return amount / 12;
    case "month":
      return amount;
  }
}

/** "= $6,414 perpetual / 36 = $178.17/month": how `amount` became the monthly figure. */
export function billingText(amount: number, billing: Billing, amortizeMonths = DEFAULT_AMORTIZE_MONTHS): string {
  const m = `${usdCents(monthly(amount, billing, amortizeMonths))}/month`;
  switch (billing) {
    case "perpetual":
      return `= ${usd(amount)} perpetual / ${amortizeMonths} = ${m}`;
    case "year":
      return `= ${usd(amount)}/year / 12 = ${m}`;
    case "month":
      return `= ${m}`;
  }
}

const group = (digits: string): string => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");

/** "$1,069" for whole dollars, "$133.63" otherwise; locale-independent so output is deterministic. */
export function usd(x: number): string {
  return Number.isInteger(x) ? `${x < 0 ? "-" : ""}$${group(String(Math.abs(x)))}` : usdCents(x);
}

/** Always with cents: "$178.17". */
export function usdCents(x: number): string {
  const [whole, cents] = Math.abs(x).toFixed(2).split(".") as [string, string];
  return `${x < 0 ? "-" : ""}$${group(whole)}.${cents}`;
}
