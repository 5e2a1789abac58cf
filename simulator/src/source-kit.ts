// `@bleshark/simulator/sources`: what benchmarks and other packages' tests need to feed the simulator
// their own discoveries: the source interface and its types, the demo and hci-replay sources, and the
// writers for a synthetic HCI capture (btsnoop file of LE advertising reports). The simulator's main entry
// (`@bleshark/simulator`) stays the programmatic start of a whole simulator.
export { legacyReport } from './hci/adv-reports.js';
export { writeBtsnoop } from './hci/btsnoop.js';
export { DemoSource } from './sources/demo-source.js';
export { HciReplaySource } from './sources/hci-replay-source.js';
export type {
  Advertisement,
  ScanParams,
  ScanSource,
  ScanSourceEvents,
  SourceOptions,
} from './sources/scan-source.js';
