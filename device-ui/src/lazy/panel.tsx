// panel.js: the filter panel (views/FilterBar.tsx: scan mode and duration, Min RSSI, sort, service UUID,
// the checkbox filters, chips by kind and company, baseline, export), loaded when the panel is first opened
// (at once on wide screens, where it starts open; on a tap of Filters on phones). The first paint has the
// search, Start / Stop, Pause and the list without it. Everything else comes from the page (build/lazy.ts,
// src/page-api.ts).
export { active, FilterBar } from '../views/FilterBar.tsx';
