// In-page probes injected by playwright. They read only what the page draws; the page carries nothing for
// them (not a byte of first paint). The page and Node share the machine's clock, so Date.now() on both
// sides is comparable.

/**
 * Records [address, rssi, frame time, change time] whenever a row draws a new newest RSSI, timed at the next
 * animation frame. The number in a row is smoothed and moves only when the list refreshes (about once a
 * second), so the probe watches the row's RSSI bar instead: a <meter> whose value is the newest RSSI as
 * received (views/DeviceList.tsx passes r.rssi to Bits.tsx's bar). Preact sets meter.value, which sets the
 * `value` attribute (the HTML meter reflects it, unclamped), so an attribute observer sees each change.
 * Sets window.__latError when the rows have no such meter (the page changed: fix this probe).
 */
export function installRssiProbe() {
  const w = /** @type {any} */ (window);
  // The address a device row shows (its address cell's first text). Defined in here: playwright sends the
  // function's text alone.
  const rowAddr = (tr) => tr?.querySelector('.c-a')?.firstChild?.textContent?.trim();
  w.__lat = [];
  if (document.querySelector('tr[data-id]') && !document.querySelector('tr[data-id] .c-r meter[value]'))
    w.__latError = "no <meter value> in the rows' RSSI cells: the latency probe needs the raw RSSI drawn";
  let pending = [];
  let scheduled = false;
  const mo = new MutationObserver((muts) => {
    for (const m of muts) {
      const el = /** @type {Element} */ (m.target);
      if (el.tagName !== 'METER' || m.oldValue === el.getAttribute('value')) continue;
      const addr = rowAddr(el.closest('tr[data-id]'));
      if (addr) pending.push([addr, Number(el.getAttribute('value')), Date.now()]);
    }
    if (pending.length && !scheduled) {
      scheduled = true;
      requestAnimationFrame(() => {
        const t = Date.now();
        for (const p of pending) w.__lat.push([p[0], p[1], t, p[2]]);
        pending = [];
        scheduled = false;
      });
    }
  });
  mo.observe(document.body, {
    subtree: true,
    attributes: true,
    attributeFilter: ['value'],
    attributeOldValue: true,
  });
}

/**
 * Records [address, frame time] in window.__drawn the first time a row showing one of `addrs` (the addresses
 * the benchmark is about to introduce) is drawn, timed at the next animation frame. A row enters the DOM
 * when its device is in the list and sorts into the window (the list is windowed).
 * @param {string[]} addrs
 */
export function installNewRowProbe(addrs) {
  const w = /** @type {any} */ (window);
  const watch = new Set(addrs);
  const rowAddr = (tr) => tr?.querySelector('.c-a')?.firstChild?.textContent?.trim();
  w.__drawn = [];
  const seen = new Set();
  let pending = [];
  let scheduled = false;
  const mo = new MutationObserver((muts) => {
    for (const m of muts)
      for (const n of m.addedNodes) {
        if (n.nodeType !== 1) continue;
        const rows = /** @type {Element} */ (n).matches('tr[data-id]')
          ? [n]
          : /** @type {Element} */ (n).querySelectorAll('tr[data-id]');
        for (const tr of rows) {
          const addr = rowAddr(tr);
          if (addr && watch.has(addr) && !seen.has(addr)) {
            seen.add(addr);
            pending.push(addr);
          }
        }
      }
    if (pending.length && !scheduled) {
      scheduled = true;
      requestAnimationFrame(() => {
        const t = Date.now();
        for (const a of pending) w.__drawn.push([a, t]);
        pending = [];
        scheduled = false;
      });
    }
  });
  mo.observe(document.body, { subtree: true, childList: true });
}

/** Records requestAnimationFrame deltas (ms) into window.__frames until window.__stopFrames is set. */
export function installFrameProbe() {
  const w = /** @type {any} */ (window);
  w.__frames = [];
  w.__stopFrames = false;
  let last = performance.now();
  const tick = (t) => {
    w.__frames.push(t - last);
    last = t;
    if (!w.__stopFrames) requestAnimationFrame(tick);
  };
  requestAnimationFrame((t) => {
    last = t;
    requestAnimationFrame(tick);
  });
}
