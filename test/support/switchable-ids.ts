/** A `newId` for the service whose id sequence the test can switch, e.g. to replay earlier bookings' ids. */
export interface SwitchableIds {
  readonly newId: () => string;
  /** From now on, ids `${prefix}-0`, `${prefix}-1`, …. */
  use(prefix: string): void;
}

export function switchableIds(prefix: string): SwitchableIds {
  let current = prefix;
  let next = 0;
  return {
    newId: () => `${current}-${next++}`,
    use: (newPrefix) => {
      current = newPrefix;
      next = 0;
    },
  };
}
