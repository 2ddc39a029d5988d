type Node = Map<string, unknown>;

/**
 * Series handles by label values, in nested Maps keyed by the values themselves: recording a call looks up strings
 * it already holds (route, arm and model names from the config, values of closed sets) and builds no key string.
 * A handle is opened once per distinct label set; label values come from closed sets, so the index stays small.
 */
export function seriesIndex<const N extends readonly string[], H>(
  names: N,
  open: (labels: Record<N[number], string>) => H,
): (...values: { [K in keyof N]: string }) => H {
  const root: Node = new Map();
  return (...values) => {
    let node = root;
    const last = values.length - 1;
    for (let i = 0; i < last; i += 1) {
      let next = node.get(values[i]!) as Node | undefined;
      if (next === undefined) {
        next = new Map();
        node.set(values[i]!, next);
      }
      node = next;
    }
    let handle = node.get(values[last]!) as H | undefined;
    if (handle === undefined) {
      handle = open(Object.fromEntries(names.map((name, i) => [name, values[i]])) as Record<N[number], string>);
      node.set(values[last]!, handle);
    }
    return handle;
  };
}
