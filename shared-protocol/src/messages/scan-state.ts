import {
  MAX_DURATION_S,
  MAX_EXCLUDED,
  MAX_FILTER_TEXT,
  MAX_SCAN_TIMING_MS,
  MIN_SCAN_TIMING_MS,
} from '../limits.js';
import { arr, bool, type Infer, int, obj, oneOf, opt, str } from '../schema.js';
import { companyIdSchema, uptimeMsSchema } from './device-record.js';

export const scanModeSchema = oneOf(['active', 'passive']);
/** Scan interval / window in milliseconds (the radio's 0.625 ms units, rounded to whole ms). */
export const scanTimingSchema = int(MIN_SCAN_TIMING_MS, MAX_SCAN_TIMING_MS);

/** The one scan state of the device (one radio, shared by all clients). */
export const scanStateSchema = obj({
  scanning: bool(),
  mode: scanModeSchema,
  interval: scanTimingSchema,
  window: scanTimingSchema,
  /** Seconds the scan runs before `scan-complete` (0 = until stopped). */
  duration: int(0, MAX_DURATION_S),
  /** true: every advertisement is reported (RSSI keeps updating); false: each device once per scan. */
  duplicates: bool(),
  /** Uptime when the current scan started. */
  since: opt(uptimeMsSchema),
});
export type ScanState = Infer<typeof scanStateSchema>;

/**
 * A connection's filter. Every field narrows; absent fields do not filter. The rules are `matchesFilter`
 * (filter.ts), which the device, the simulator and the page all apply.
 */
export const filterSchema = obj({
  /** Case-insensitive substring of the name or the address. */
  text: opt(str(MAX_FILTER_TEXT)),
  minRssi: opt(int(-127, 20)),
  /** Only devices with manufacturer data from this company. */
  company: opt(companyIdSchema),
  /** Only devices advertising this service UUID (in the list or as service data). */
  service: opt(
    str(
      36,
      4,
      /^(?:[0-9a-fA-F]{4}|[0-9a-fA-F]{8}|[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})$/,
    ),
  ),
  connectable: opt(bool()),
  /** true hides devices without a name. */
  named: opt(bool()),
  /** Hide devices whose manufacturer data comes from any of these companies. */
  exclude: opt(arr(companyIdSchema, MAX_EXCLUDED)),
});
export type Filter = Infer<typeof filterSchema>;
