// The data browser: the picker opens the demo account, whose MoySklad products are counted
// and listed; a product renamed through the MoySklad API opens with its JSON and, newest
// first, the rename in its history; a reference, reached by keyboard, opens the document it
// names; an unknown document is a 404 page.
import assert from 'node:assert/strict'

import { assertInputsLabelled, assertTablesScroll } from '../lib/checks.mjs'
import { tabTo } from '../lib/keyboard.mjs'
import { moysklad } from '../lib/moysklad.mjs'

export const name = 'data'

export async function run (ctx) {
  const page = await ctx.page()
  const account = ctx.demo.account
  const products = `/console/data/${account}/moysklad/product`

  await ctx.step('the picker opens the demo account, its MoySklad products counted', async () => {
    await ctx.goto(page, '/console/data')
    await page.selectOption('#account', account)
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('account') === account),
      page.click('[data-test="account-picker"] button')
    ])
    for (const dialect of ['retailcrm', 'moysklad', 'kassa', 'salesdoc']) {
      await page.locator(`#data-${dialect} h2`).waitFor()
    }
    const row = page.locator('#data-moysklad tr[data-kind="product"]')
    const count = Number(await row.locator('td.num').textContent())
    const admin = await ctx.adminApi('GET', `/accounts/${account}/data/moysklad/product?limit=1`)
    assert.ok(count > 0, 'the demo account has products')
    assert.equal(count, admin.total, 'the count is the admin API\'s')
    await assertTablesScroll(page, 'data overview')
    await ctx.screenshot('data-account', { docs: true })
  })

  const product = await ctx.step('the products are listed, paged with their total', async () => {
    await Promise.all([
      page.waitForURL((url) => url.pathname === products),
      page.click('#data-moysklad tr[data-kind="product"] a')
    ])
    const rows = page.locator('#entity-table tr[data-test="entity-row"]')
    assert.ok(await rows.count() > 0)
    const range = await page.locator('#entity-pager [data-test="range"]').textContent()
    const { total } = await ctx.adminApi('GET', `/accounts/${account}/data/moysklad/product?limit=1`)
    assert.match(range, new RegExp(`^1–${Math.min(total, 50)} of ${total}$`))
    assert.ok(await page.locator('#entity-table th', { hasText: /^name$/ }).count(), 'a name column')
    await assertTablesScroll(page, 'products')
    await ctx.screenshot('data-products', { docs: true })
    if (total > 50) {
      await Promise.all([
        page.waitForURL((url) => url.searchParams.get('offset') === '50'),
        page.click('#entity-pager [data-test="next"]')
      ])
      assert.match(await page.locator('#entity-pager [data-test="range"]').textContent(), /^51–/)
      await page.goBack()
    }
    return rows.first().getAttribute('data-id')
  })

  await ctx.step('a renamed product shows its JSON and the rename first in its history', async () => {
    const before = await moysklad(ctx, 'GET', `/entity/product/${product}`)
    const renamed = `E2E <renamed> ${Date.now()}`
    await moysklad(ctx, 'PUT', `/entity/product/${product}`, { name: renamed })
    await Promise.all([
      page.waitForURL((url) => url.pathname === `${products}/${product}`),
      page.click(`#entity-table tr[data-id="${product}"] a`)
    ])
    assert.match(await page.locator('#entity-json pre').textContent(), new RegExp(`"name": "${renamed}"`))
    const newest = page.locator('#entity-history tr[data-test="change-row"]').first()
    assert.equal(await newest.getAttribute('data-action'), 'update')
    const change = await newest.locator('ul.diff li', { hasText: /^name:/ }).textContent()
    assert.equal(change, `name: ${before.name} → ${renamed}`)
    await assertTablesScroll(page, 'product')
    await ctx.screenshot('data-entity', { docs: true })
  })

  await ctx.step('a reference, reached by keyboard, opens the document it names', async () => {
    const link = page.locator('#entity-links a[data-test="entity-link"]').first()
    const href = await link.getAttribute('href')
    const kind = await link.getAttribute('data-kind')
    await tabTo(page, `#entity-links a[href="${href}"]`)
    const [answer] = await Promise.all([
      page.waitForResponse((response) => new URL(response.url()).pathname === href),
      page.keyboard.press('Enter')
    ])
    assert.equal(answer.status(), 200)
    assert.match(await page.locator('h1').textContent(), new RegExp(`^${kind} `))
    assert.ok(await page.locator('#entity-json pre').count(), 'its JSON')
  })

  await ctx.step('an unknown document is a 404 page', async () => {
    await ctx.goto(page, `${products}/no-such-product`, { status: 404 })
    assert.ok(await page.locator('[role="alert"]').count())
    await assertInputsLabelled(page, 'not found')
  })
}
