// Every page in the navigation, reached by keyboard: the skip link comes first, the nav
// links follow in order with a visible focus; each page fits 1280 px and 375 px windows
// (tables scroll inside `.scroll`), labels its fields, and is photographed at both widths
// (also for docs/console/ as `<page>-<width>.png`).
import assert from 'node:assert/strict'

import { assertInputsLabelled, assertTablesScroll } from '../lib/checks.mjs'
import { focused, focusTop, tabTo } from '../lib/keyboard.mjs'

export const name = 'layout'

const NAV_LINKS = 'nav[aria-label="Console"] a'

export async function run (ctx) {
  const page = await ctx.page()

  const links = await ctx.step('the navigation lists the console pages', async () => {
    const found = await page.$$eval(NAV_LINKS, (anchors) =>
      anchors.map((anchor) => ({ href: anchor.getAttribute('href'), label: anchor.textContent.trim() }))
    )
    assert.ok(found.length >= 2, `nav links: ${JSON.stringify(found)}`)
    return found
  })

  await ctx.step('the first Tab reaches the skip link, which moves focus to the content', async () => {
    await focusTop(page)
    await page.keyboard.press('Tab')
    assert.ok(await page.evaluate(() => document.activeElement.matches('a.skip')), `first Tab: ${await focused(page)}`)
    assert.ok(await page.locator('a.skip').isVisible(), 'the focused skip link is shown')
    await page.keyboard.press('Enter')
    assert.equal(await page.evaluate(() => document.activeElement.id), 'main')
  })

  await ctx.step('Tab visits the nav links in order, each with a visible focus', async () => {
    await focusTop(page)
    for (const [index, link] of links.entries()) {
      // The skip link and the brand come before the first; then one Tab each.
      const presses = await tabTo(page, `${NAV_LINKS}[href="${link.href}"]`, { max: 10 })
      assert.equal(presses, index === 0 ? 3 : 1, `Tab presses to ${link.label}`)
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle)
      assert.notEqual(outline, 'none', `${link.label} shows where the focus is`)
    }
  })

  for (const link of links) {
    await ctx.step(`the ${link.label} page`, async () => {
      await ctx.goto(page, '/console/')
      await focusTop(page)
      await tabTo(page, `${NAV_LINKS}[href="${link.href}"]`, { max: 2 + links.length })
      const [answer] = await Promise.all([
        page.waitForResponse((response) =>
          response.request().isNavigationRequest() && new URL(response.url()).pathname === link.href),
        page.keyboard.press('Enter')
      ])
      await page.waitForURL((url) => url.pathname === link.href)
      assert.equal(answer.status(), 200, `${link.href} answers`)
      const current = page.locator(`${NAV_LINKS}[aria-current="page"]`)
      assert.equal(await current.getAttribute('href'), link.href, 'the nav marks the page shown')
      assert.ok((await page.locator('h1').textContent()).trim(), 'a heading')
      await assertTablesScroll(page, link.label)
      await assertInputsLabelled(page, link.label)
      await ctx.screenshot(link.label.toLowerCase(), { docs: true })
    })
  }
}
