// The page's API as extras.js sees it; set once by `mount`.
import type { ExtrasApi } from '../model/extras.ts';

export let A: ExtrasApi;
export const setApi = (a: ExtrasApi): void => {
  A = a;
};
