// Charts: traffic of all four dialects (some refused) and three webhooks (two delivered, one
// pending behind a failing receiver) for the demo account, then the Charts page draws them:
// one requests chart per dialect, the latency percentiles and the delivery success rate, each
// SVG titled for screen readers, with tables whose numbers are the stats API's; the window is
// changed by keyboard. Screenshots at both widths.
import assert from 'node:assert/strict'
import { createServer } from 'node:http'

import { assertInputsLabelled, assertTablesScroll } from '../lib/checks.mjs'
import { tabTo } from '../lib/keyboard.mjs'

export const name = 'charts'

/** A webhook receiver: 200 on `/ok`, 500 elsewhere. */
async function receiver () {
  const server = createServer((request, response) => {
    request.resume()
    response.statusCode = request.url === '/ok' ? 200 : 500
    response.end()
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, url: (path) => `http://127.0.0.1:${server.address().port}${path}` }
}

export async function run (ctx) {
  const { account, retailcrm, moysklad, kassa, salesdoc } = ctx.demo
  const basic = `Basic ${Buffer.from(`${moysklad.login}:${moysklad.password}`).toString('base64')}`
  const hooks = await receiver()

  try {
    await ctx.step('clients of the four dialects make requests, some refused', async () => {
      // [path, init, status, times]; Kassa's list weighs 15 of the 60 a minute allows.
      const calls = [
        [`/api/v5/customers?apiKey=${retailcrm.key}`, {}, 200, 3],
        ['/api/v5/customers', {}, 401, 2],
        ['/api/remap/1.2/entity/product?limit=5', { headers: { authorization: basic, 'accept-encoding': 'gzip' } }, 200, 3],
        ['/api/remap/1.2/entity/product/00000000-0000-0000-0000-000000000000', { headers: { authorization: basic, 'accept-encoding': 'gzip' } }, 404, 2],
        ['/kassa/v1/cashboxes', { headers: { 'X-APP-ID': kassa.appId, 'X-APP-SECRET': kassa.appSecret, 'X-CLIENT-TOKEN': kassa.clientToken } }, 200, 1],
        ['/api/v2', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ method: 'login', auth: { login: salesdoc.login, password: salesdoc.password } }) }, 200, 2]
      ]
      for (const [path, init, status, times] of calls) {
        for (let i = 0; i < times; i++) {
          assert.equal((await fetch(`${ctx.base}${path}`, init)).status, status, path)
        }
      }
    })

    await ctx.step('two webhooks are delivered, one waits behind a failing receiver', async () => {
      const send = (url) => ctx.adminApi('POST', `/accounts/${account}/webhooks/test`, { url, event: 'e2e.charts', payload: {} })
      const delivered = [await send(hooks.url('/ok')), await send(hooks.url('/ok'))]
      await send(hooks.url('/fail'))
      for (const { id } of delivered) {
        for (let tries = 0; ; tries++) {
          const delivery = await ctx.adminApi('GET', `/webhooks/deliveries/${id}`)
          if (delivery.status === 'delivered') break
          assert.ok(tries < 600, `delivery ${id} stuck: ${JSON.stringify(delivery)}`)
          await new Promise((resolve) => setTimeout(resolve, 50))
        }
      }
    })

    const page = await ctx.page()

    await ctx.step('the charts draw the window, with the stats API\'s numbers beneath', async () => {
      await ctx.goto(page, `/console/charts?minutes=60&account=${encodeURIComponent(account)}`)
      const stats = await ctx.adminApi('GET', `/stats?minutes=60&account=${encodeURIComponent(account)}`)
      const dialects = await page.locator('[data-test="requests-chart"]').evaluateAll((figures) =>
        figures.map((figure) => figure.getAttribute('data-dialect')))
      assert.deepEqual(dialects, ['retailcrm', 'moysklad', 'kassa', 'salesdoc'])
      // Every chart is an image named by its title and description.
      const unnamed = await page.locator('svg.chart').evaluateAll((charts) => charts.filter((svg) => {
        const ids = (svg.getAttribute('aria-labelledby') || '').split(' ').filter(Boolean)
        return svg.getAttribute('role') !== 'img' || ids.length !== 2 || ids.some((id) => !document.getElementById(id)?.textContent)
      }).length)
      assert.equal(unnamed, 0, 'charts without a title and description')
      for (const row of stats.latency) {
        const cells = await page.locator(`[data-test="latency-table"] tr[data-dialect="${row.dialect}"] td`).allTextContents()
        assert.deepEqual(cells, [row.count, row.p50, row.p90, row.p99, row.max].map(String), row.dialect)
      }
      const { delivered, failed, pending } = stats.deliveries
      assert.ok(delivered >= 2 && pending + failed >= 1, JSON.stringify(stats.deliveries))
      const cells = await page.locator('[data-test="deliveries-table"] td').allTextContents()
      assert.deepEqual(cells.slice(0, 3), [delivered, failed, pending].map(String))
      await assertTablesScroll(page, 'charts')
      await assertInputsLabelled(page, 'charts')
      await page.locator('[data-test="requests-chart"] details').first().evaluate((details) => { details.open = true })
      await ctx.screenshot('charts-traffic', { docs: true })
    })

    await ctx.step('the window changes by keyboard', async () => {
      const windows = page.locator('#chart-filters [name="minutes"]')
      await windows.focus()
      await windows.selectOption('15')
      await tabTo(page, '#chart-filters button[type="submit"]', { max: 3 })
      await Promise.all([
        page.waitForURL((url) => url.searchParams.get('minutes') === '15'),
        page.keyboard.press('Enter')
      ])
      assert.equal(await page.locator('#chart-filters [name="account"]').inputValue(), account)
      assert.equal(await page.locator('#requests-title').textContent(), 'Requests per minute')
    })
  } finally {
    hooks.server.close()
  }
}
