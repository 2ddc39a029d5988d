/** A model snapshot id: a model id with its release date, as the API serves `claude-haiku-4-5-20251001`. */
const DATED_MODEL_ID = /^(.+)-\d{8}$/;

/**
 * The id whose price applies to `model`: the id itself when priced, else the base id of a dated snapshot id
 * (`claude-haiku-4-5-20251001` → `claude-haiku-4-5`) when that is priced, else undefined. A dated id pins the
 * snapshot the API serves; it costs what its base id costs unless the table prices it on its own.
 */
export function pricedModelId(model: string, isPriced: (id: string) => boolean): string | undefined {
  if (isPriced(model)) return model;
  const base = DATED_MODEL_ID.exec(model)?.[1];
  return base !== undefined && isPriced(base) ? base : undefined;
}
