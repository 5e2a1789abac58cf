import { type Decoded, type Field, named } from './decode-common.js';
import { readInt, toHex } from './hex.js';
import { decodeUtf8 } from './utf8.js';

/**
 * BTHome v2 objects 0x00-0x64, eight per row in id order ("-" = unassigned), each
 * "key:size:decimals:multiplier" with a negative size for signed values and value =
 * raw * multiplier / 10^decimals (decimals default 0, multiplier 1). A bare key is a one-byte binary
 * sensor. 0x53/0x54 (text, raw) carry their own length and are handled before the lookup. Keys follow the
 * bthome-ble parser's names, so the same measurement can come from several ids.
 */
const SPEC = [
  'packet_id:1 battery:1 temperature:-2:2 humidity:2:2 pressure:3:2 illuminance:3:2 mass:2:2 mass:2:2', // 0x00
  'dew_point:-2:2 count:1 energy:3:3 power:3:2 voltage:2:3 pm25:2 pm10:2 generic', // 0x08
  'power opening co2:2 voc:2 moisture:2:2 battery battery_charging carbon_monoxide', // 0x10
  'cold connectivity door garage_door gas heat light lock', // 0x18
  'moisture motion moving occupancy plug presence problem running', // 0x20
  'safety smoke sound tamper vibration window humidity:1 moisture:1', // 0x28
  '- - - - - - - -', // 0x30
  '- - button:1 - dimmer:2 count:2 count:4 rotation:-2:1', // 0x38
  'distance:2 distance:2:1 duration:3:3 current:2:3 speed:2:2 temperature:-2:1 uv_index:1:1 volume:2:1', // 0x40
  'volume:2 volume_flow_rate:2:3 voltage:2:1 gas:3:3 gas:4:3 energy:4:3 volume:4:3 water:4:3', // 0x48
  'timestamp:4 acceleration:2:3 gyroscope:2:3 - - volume_storage:4:3 conductivity:2 temperature:-1', // 0x50
  'temperature:-1:2:35 count:-1 count:-2 count:-4 power:-4:2 current:-2:3 direction:2:2 precipitation:2:1', // 0x58
  'channel:1 rotational_speed:2 speed:-4:6 acceleration:-4:6 light_level:1', // 0x60
]
  .join(' ')
  .split(' ');
/** Device information objects 0xF0-0xF2. */
const DEVICE = ['device_type:2', 'firmware:4', 'firmware:3'];
const BUTTON = 'none press double_press triple_press long_press long_double_press long_triple_press'.split(
  ' ',
);

/** The reported value of one object: scaled number, event name, dimmer steps or firmware version. */
function value(key: string, raw: number, b: Uint8Array, dec: number, mul: number): string | number {
  if (key === 'firmware') return Array.from(b).reverse().join('.');
  if (key === 'button') return BUTTON[raw] ?? (raw === 0x80 ? 'hold_press' : raw);
  if (key === 'dimmer') return (raw & 255) === 1 ? -(raw >> 8) : raw >> 8;
  return (raw * mul) / 10 ** dec;
}

/**
 * BTHome v2 service data (0xFCD2): device-info byte, then objects until the data ends or an object
 * id is unknown or truncated. Encrypted payloads are reported as such and not decoded. The dimmer
 * event is reported as signed steps (negative = left); text objects are decoded as UTF-8.
 */
export function decodeBthome(d: Uint8Array): Decoded | undefined {
  const info = d[0];
  if (info === undefined) return undefined;
  const fields: Field[] = [];
  const out = named('BTHome', fields);
  if (info >> 5 !== 2) fields.push(['version', info >> 5]);
  else if (info & 1) fields.push(['encrypted', true]);
  else {
    // Bit 1 is set by older firmware that puts the 6-byte MAC first.
    for (let i = info & 2 ? 7 : 1; i < d.length; ) {
      const id = d[i++]!;
      if (id === 0x53 || id === 0x54) {
        const end = i + 1 + (d[i] ?? d.length);
        if (end > d.length) break;
        const b = d.subarray(i + 1, end);
        fields.push(id === 0x53 ? ['text', decodeUtf8(b)] : ['raw', toHex(b)]);
        i = end;
        continue;
      }
      const [key, size, dec = 0, mul = 1] = (SPEC[id] || DEVICE[id - 0xf0] || '').split(':');
      const n = Math.abs(Number(size ?? 1));
      if (!key || key === '-' || i + n > d.length) break;
      if (size === undefined) fields.push([key, d[i] !== 0]);
      else
        fields.push([
          key,
          value(key, readInt(d, i, n, true, size[0] === '-'), d.subarray(i, i + n), +dec, +mul),
        ]);
      i += n;
    }
  }
  return out;
}
