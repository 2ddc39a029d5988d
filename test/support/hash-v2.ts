/** FNV-1a 32-bit over UTF-16 code units, written from the published definition. */
function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/**
 * GrowthBook's hash version 2, written independently of the router from DESIGN.md's formula, so a test
 * can recompute any booking's bucket the way an analyst would in SQL or Python.
 */
export function hashV2(salt: string, key: string): number {
  return (fnv1a32(String(fnv1a32(salt + key))) % 10_000) / 10_000;
}
