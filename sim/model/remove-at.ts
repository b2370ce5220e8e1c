/**
 * Removes `list[k]` in place, the rest keeping their order, as `list.splice(k, 1)` does without
 * allocating the array of what it removed (a splice per stopped guest or finished tenant adds up
 * over a million instances). `k` must be an index of `list`.
 */
export function removeAt(list: number[], k: number): void {
  const n = list.length;
  for (let i = k + 1; i < n; i++) list[i - 1] = list[i]!;
  list.pop();
}
