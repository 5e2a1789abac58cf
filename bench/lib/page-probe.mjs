// In-page probes injected by playwright (the page exposes no hooks). The page and Node share the machine's
// clock, so Date.now() on both sides is comparable.

/** Records [address, rssi, time] when a row's RSSI text changes, timed at the next animation frame. */
export function installRssiProbe() {
  const w = /** @type {any} */ (window);
  w.__lat = [];
  let pending = [];
  let scheduled = false;
  const mo = new MutationObserver((muts) => {
    for (const m of muts) {
      const el = m.target.nodeType === 3 ? m.target.parentElement : /** @type {Element} */ (m.target);
      if (el?.tagName !== 'B' || !el.parentElement?.classList.contains('c-r')) continue;
      const tr = el.closest('tr[data-id]');
      const addr = tr?.querySelector('.c-a')?.firstChild?.textContent?.trim();
      if (addr) pending.push([addr, Number(el.textContent), Date.now()]);
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
  mo.observe(document.body, { subtree: true, characterData: true, childList: true });
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
