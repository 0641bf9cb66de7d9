/** `/extensions`. */
export const EXTENSIONS_PATH = "/extensions";

/** `/extensions/{alias}`. */
export function extensionPath(alias: string): string {
  return `${EXTENSIONS_PATH}/${encodeURIComponent(alias)}`;
}
