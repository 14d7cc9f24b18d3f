"""What the browser tests measure on a page in Chromium: elder-mode numbers, axe-core, product cards.

The numbers are the elder-mode ones in docs/product.md (MIIT 2021, WCAG 2.2): text ≥ 18 px, line
height ≥ 1.3, main headings and prices ≥ 30 px, main actions ≥ 60×60 px and every other control
≥ 44×44 px; contrast is axe-core's colour-contrast rule (4.5:1).
"""

from pathlib import Path

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"

MAIN_ACTIONS = ".btn-main, .btn-primary, .btn-elder, .p-card__btn, .site-search button, .speak-button"

ELDER_NUMBERS = """(mainActions) => {
  const problems = [];
  const visible = el => { const r = el.getBoundingClientRect(); const s = getComputedStyle(el);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && !el.closest('[hidden], .sr-only, .skip-link'); };
  const name = el => (el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
                      + ' "' + (el.textContent || el.value || '').trim().slice(0, 20) + '"');
  // text: every element that holds text of its own
  for (const el of document.querySelectorAll('body *')) {
    if (['SCRIPT', 'STYLE', 'NOSCRIPT', 'svg', 'OPTION'].includes(el.tagName) || !visible(el)) continue;
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own) continue;
    const s = getComputedStyle(el), size = parseFloat(s.fontSize);
    if (size < 18) problems.push(`text ${size}px: ${name(el)}`);
    const lh = s.lineHeight === 'normal' ? 1.2 * size : parseFloat(s.lineHeight);
    if (lh / size < 1.3 - 1e-6) problems.push(`line height ${(lh / size).toFixed(2)}: ${name(el)}`);
  }
  for (const el of document.querySelectorAll('main h1')) {
    if (visible(el) && parseFloat(getComputedStyle(el).fontSize) < 30) problems.push(`heading ${getComputedStyle(el).fontSize}: ${name(el)}`);
  }
  for (const el of document.querySelectorAll('main .price_color')) {
    if (visible(el) && parseFloat(getComputedStyle(el).fontSize) < 30) problems.push(`price ${getComputedStyle(el).fontSize}: ${name(el)}`);
  }
  // tap targets: main actions 60×60, every other control 44×44 (links inside running text are exempt)
  for (const el of document.querySelectorAll('a, button, input, select, textarea, summary')) {
    if (!visible(el) || el.type === 'hidden') continue;
    if (el.tagName === 'A' && !el.matches('.btn, .site-nav a, .site-brand, .basket-link, .account-link, .link-list a, .ws-nav a')) continue;
    let target = el;
    if ((el.type === 'radio' || el.type === 'checkbox') && el.closest('label')) target = el.closest('label');
    const r = target.getBoundingClientRect(), min = el.matches(mainActions) ? 60 : 44;
    if (r.width < min - 0.5 || r.height < min - 0.5) problems.push(`target ${Math.round(r.width)}×${Math.round(r.height)} < ${min}: ${name(el)}`);
  }
  return problems;
}"""

CARD_LAYOUT = """() => {
  const problems = [];
  for (const card of document.querySelectorAll('.p-card')) {
    const c = card.getBoundingClientRect(), title = card.querySelector('.p-card__title').textContent.trim();
    const parts = [...card.querySelectorAll('.p-card__img, .p-card__title, .p-card__village, .p-card__rating, .p-card__price, .p-card__btn, .p-card__soldout')]
      .filter(e => e.getClientRects().length);
    for (const p of parts) { const r = p.getBoundingClientRect();
      if (r.left < c.left - 0.5 || r.right > c.right + 0.5 || r.top < c.top - 0.5 || r.bottom > c.bottom + 0.5)
        problems.push(`${p.className} sticks out of "${title}"`); }
    for (let i = 0; i < parts.length; i++) for (let j = i + 1; j < parts.length; j++) {
      const a = parts[i].getBoundingClientRect(), b = parts[j].getBoundingClientRect();
      if (a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5)
        problems.push(`${parts[i].className} overlaps ${parts[j].className} in "${title}"`); }
    const t = card.querySelector('.p-card__title'), lh = parseFloat(getComputedStyle(t).lineHeight);
    if (t.getBoundingClientRect().height > 2 * lh + 1) problems.push(`title on more than two lines: "${title}"`);
  }
  if (document.documentElement.scrollWidth > window.innerWidth) problems.push(`page ${document.documentElement.scrollWidth}px wide in a ${window.innerWidth}px window`);
  return problems;
}"""


def elder_problems(page):
    return page.evaluate(ELDER_NUMBERS, MAIN_ACTIONS)


def card_problems(page):
    return page.evaluate(CARD_LAYOUT)


def axe_violations(page, impacts=("serious", "critical")):
    """axe-core (from npm) run in the page: the serious and critical violations, with where they are."""
    assert AXE.exists(), f"{AXE} is missing: `make install-dev` installs axe-core from npm"
    # evaluated through the DevTools protocol, which the page's Content-Security-Policy does not govern
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations")
    return [f"{v['id']} ({v['impact']}): " + "; ".join(n["target"][0] for n in v["nodes"][:3])
            for v in result if v["impact"] in impacts]
