/**
 * A revalidation call as code: `revalidateTag("dashboard-data", "max")`. Arguments are recorded as strings;
 * one that holds JSON of an object or array (a cache profile such as `{"expire":0}`) is shown as that object.
 */
export function callText(api: string, args: readonly string[]): string {
  return `${api}(${args.map((arg) => (/^[[{]/.test(arg) ? arg : JSON.stringify(arg))).join(', ')})`;
}
