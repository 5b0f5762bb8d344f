// Layout checks any flow can run on the page it shows: usable at phone width, tables that
// scroll inside their box, a label on every input.

/**
 * Fails when the page is wider than its window (a phone would scroll the whole page
 * sideways), naming the outermost elements that stick out of it.
 */
export async function assertFitsWidth (page, what) {
  const overflow = await page.evaluate(() => {
    const root = document.documentElement
    const width = root.clientWidth
    if (root.scrollWidth <= width) return null
    const insideScroller = (element) => {
      for (let parent = element.parentElement; parent && parent !== document.body; parent = parent.parentElement) {
        if (getComputedStyle(parent).overflowX !== 'visible') return true
      }
      return false
    }
    const sticking = [...document.body.querySelectorAll('*')].filter(
      (element) => element.getBoundingClientRect().right > width + 0.5 && !insideScroller(element)
    )
    const outermost = sticking.filter((element) => !sticking.includes(element.parentElement))
    const describe = (element) => {
      const classes = [...element.classList].map((name) => `.${name}`).join('')
      const text = element.textContent.trim().slice(0, 30)
      return `${element.tagName.toLowerCase()}${element.id ? `#${element.id}` : ''}${classes} "${text}"`
    }
    return { scrollWidth: root.scrollWidth, width, sticking: outermost.slice(0, 5).map(describe) }
  })
  if (overflow) {
    throw new Error(
      `${what}: the page is ${overflow.scrollWidth} px wide in a ${overflow.width} px window; ` +
        `sticking out: ${overflow.sticking.join(', ') || '(nothing found)'}`
    )
  }
}

/** Fails when a table is not wrapped in `.scroll` (which scrolls it on a phone). */
export async function assertTablesScroll (page, what) {
  const loose = await page.$$eval('table', (tables) => tables.filter((table) => !table.closest('.scroll')).length)
  if (loose) throw new Error(`${what}: ${loose} table(s) outside a <div class="scroll">`)
}

/** Fails when a visible form field has no label (a `<label>`, aria-label or aria-labelledby). */
export async function assertInputsLabelled (page, what) {
  const unlabelled = await page.$$eval('input, select, textarea', (fields) =>
    fields
      .filter((field) => !['hidden', 'submit', 'button', 'reset', 'image'].includes(field.type))
      .filter((field) => field.getClientRects().length > 0)
      .filter((field) => !field.labels?.length && !field.getAttribute('aria-label') && !field.getAttribute('aria-labelledby'))
      .map((field) => field.name || field.id || field.type)
  )
  if (unlabelled.length) throw new Error(`${what}: fields without a label: ${unlabelled.join(', ')}`)
}
