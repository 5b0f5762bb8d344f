// Getting around by keyboard only, as a person without a mouse does.

/**
 * Presses Tab until the focused element matches `selector`; returns how many presses it
 * took, or fails after `max`.
 */
export async function tabTo (page, selector, { max = 60 } = {}) {
  for (let presses = 1; presses <= max; presses++) {
    await page.keyboard.press('Tab')
    if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) {
      return presses
    }
  }
  throw new Error(`Tab did not reach ${selector} in ${max} presses`)
}

/**
 * Moves keyboard focus to the top of the document, so the next Tab goes to its first
 * focusable element (as right after loading a page without autofocus): focuses a
 * placeholder at the start of the body and removes it.
 */
export async function focusTop (page) {
  await page.evaluate(() => {
    const placeholder = document.createElement('span')
    placeholder.tabIndex = -1
    document.body.prepend(placeholder)
    placeholder.focus()
    placeholder.remove()
  })
}

/** A short description of the focused element (tag, id, classes, text or href). */
export function focused (page) {
  return page.evaluate(() => {
    const element = document.activeElement
    if (!element || element === document.body) return 'body'
    const id = element.id ? `#${element.id}` : ''
    const classes = [...element.classList].map((name) => `.${name}`).join('')
    const what = element.getAttribute('href') ?? element.textContent.trim().slice(0, 40)
    return `${element.tagName.toLowerCase()}${id}${classes} "${what}"`
  })
}
