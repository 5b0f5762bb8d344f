// Webhooks: a MoySklad subscription of the demo account to a receiver this flow runs, and a
// product whose creation it reports; the subscription and the delivery are listed, the
// delivery opens with its payload and attempt, and Redeliver sends it again: the receiver
// gets it a second time and the page shows the new attempt without reloading.
import assert from 'node:assert/strict'
import { createServer } from 'node:http'

import { assertInputsLabelled, assertTablesScroll } from '../lib/checks.mjs'
import { moysklad } from '../lib/moysklad.mjs'

export const name = 'webhooks'

/** A receiver on 127.0.0.1 answering 200 to every request; what it got, in order. */
async function receiver () {
  const received = []
  const server = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => { body += chunk })
    request.on('end', () => {
      received.push({ url: request.url, body })
      response.writeHead(200).end('thanks')
    })
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${server.address().port}/twin-e2e`
  const close = () => new Promise((resolve) => {
    server.close(resolve)
    server.closeAllConnections()
  })
  return { url, received, close }
}

/** Waits until `check()` is true, polling; fails after `ms`. */
async function until (what, check, ms = 30000) {
  const deadline = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`waited ${ms} ms for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

export async function run (ctx) {
  const account = ctx.demo.account
  const hooks = await receiver()
  let subscription = null
  try {
    const delivery = await ctx.step('a MoySklad subscription reports a new product', async () => {
      subscription = await moysklad(ctx, 'POST', '/entity/webhook', {
        url: hooks.url, action: 'CREATE', entityType: 'product'
      })
      await moysklad(ctx, 'POST', '/entity/product', { name: `E2E bell ${Date.now()}` })
      await until('the notification', () => hooks.received.length === 1)
      const { items } = await ctx.adminApi('GET', `/webhooks/deliveries?account=${account}&dialect=moysklad&limit=100`)
      const ours = items.find((item) => item.url.startsWith(`${hooks.url}?`))
      assert.ok(ours, 'the delivery is in the outbox')
      await until('the delivery settled', async () =>
        (await ctx.adminApi('GET', `/webhooks/deliveries/${ours.id}`)).status === 'delivered')
      return ours.id
    })

    const page = await ctx.page()

    await ctx.step('the account\'s subscription and delivery are listed', async () => {
      await ctx.goto(page, '/console/webhooks')
      await page.selectOption('#account', account)
      await page.selectOption('#webhook-dialect', 'moysklad')
      await Promise.all([
        page.waitForURL((url) => url.searchParams.get('account') === account),
        page.click('#webhook-filters button[type="submit"]')
      ])
      const hook = page.locator(`#subscriptions-moysklad tr[data-id="${subscription.id}"]`)
      assert.match(await hook.textContent(), /CREATE product/)
      assert.match(await hook.textContent(), new RegExp(hooks.url))
      const row = page.locator(`#delivery-table tr[data-id="${delivery}"]`)
      assert.match(await row.locator('[data-test="delivery-status"]').textContent(), /delivered/)
      assert.match(await row.textContent(), /200/)
      await assertTablesScroll(page, 'webhooks')
      await assertInputsLabelled(page, 'webhooks')
      await ctx.screenshot('webhooks-account', { docs: true })
    })

    await ctx.step('the delivery opens with its payload, headers and attempt', async () => {
      await Promise.all([
        page.waitForURL((url) => url.pathname === `/console/webhooks/deliveries/${delivery}`),
        page.click(`#delivery-table tr[data-id="${delivery}"] td:first-child a`)
      ])
      assert.match(await page.locator('#delivery-payload pre').textContent(), /"action": "CREATE"/)
      assert.match(await page.locator('#delivery-headers').textContent(), /MoySklad webhook touch agent/)
      assert.equal(await page.locator('[data-test="attempt-row"]').count(), 1)
      assert.match(await page.locator('[data-test="attempt-row"] td.excerpt').textContent(), /thanks/)
    })

    await ctx.step('Redeliver sends it again and the new attempt appears', async () => {
      await Promise.all([
        page.waitForURL((url) => url.searchParams.has('notice')),
        page.click('[data-test="redeliver"] button')
      ])
      assert.match(await page.locator('.notice').textContent(), /queued again/)
      await until('the second notification', () => hooks.received.length === 2)
      assert.equal(hooks.received[1].body, hooks.received[0].body, 'the same payload')
      // Live while pending; already delivered when the page was drawn, it needs no reload.
      await page.locator('[data-test="attempt-count"]', { hasText: /^2$/ }).waitFor()
      assert.equal(await page.locator('[data-test="attempt-row"]').count(), 2)
      assert.match(await page.locator('[data-test="delivery-summary"]').textContent(), /delivered/)
      await assertTablesScroll(page, 'delivery')
      await ctx.screenshot('webhook-delivery', { docs: true })
    })
  } finally {
    if (subscription) await moysklad(ctx, 'DELETE', `/entity/webhook/${subscription.id}`)
    await hooks.close()
  }
}
