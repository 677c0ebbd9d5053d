/**
 * A revalidation call as code, as every view writes it (tail lines, findings, the overlay):
 * `revalidateTag("dashboard-data", "max")`. Arguments are recorded as strings and shown quoted.
 */
export function callText(api: string, args: readonly string[]): string {
  return `${api}(${args.map((arg) => JSON.stringify(arg)).join(', ')})`;
}
