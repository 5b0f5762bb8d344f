// The request log: what a client sent is found by its text, newest first; the live tail shows
// a new request without reloading; a request opens with its secrets masked, its bodies
// pretty-printed and a curl line on the clipboard; its links narrow the log; a bad filter
// shows the admin API's problem with a 400, an unknown request a 404.
import assert from 'node:assert/strict'

import { assertInputsLabelled, assertTablesScroll } from '../lib/checks.mjs'
import { moyskladClient } from '../lib/vendor-clients.mjs'

export const name = 'requests'

const ROWS = '#request-results tr[data-test="request-row"]'
const ENDPOINT = 'v5/customers/create'

export async function run (ctx) {
  const marker = `e2e-${Date.now().toString(36)}`
  const { retailcrm, moysklad } = ctx.demo
  // The vendor clients' requests, as they send them: RetailCRM's key header and form body
  // holding JSON, MoySklad's Basic auth (fetch asks for gzip, as MoySklad wants).
  const createCustomer = () => fetch(`${ctx.base}/api/${ENDPOINT}`, {
    method: 'POST',
    headers: { 'X-API-KEY': retailcrm.key },
    body: new URLSearchParams({ customer: JSON.stringify({ firstName: 'Ann', lastName: marker }) })
  })
  const searchProducts = (password) => fetch(`${ctx.base}/api/remap/1.2/entity/product?search=${marker}`, {
    headers: { authorization: `Basic ${Buffer.from(`${moysklad.login}:${password}`).toString('base64')}` }
  })

  await ctx.step('a client creates a customer, then searches with a wrong password', async () => {
    assert.equal((await createCustomer()).status, 201)
    assert.equal((await searchProducts('not-the-password')).status, 401)
  })

  const page = await ctx.page({ permissions: ['clipboard-read', 'clipboard-write'] })
  const rows = page.locator(ROWS)

  await ctx.step('the log finds both by their text, newest first', async () => {
    await ctx.goto(page, '/console/requests')
    const text = page.locator('#request-filters [name="q"]')
    await text.fill(marker)
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('q') === marker),
      text.press('Enter')
    ])
    assert.equal(await rows.count(), 2)
    assert.match(await rows.nth(0).textContent(), /moysklad.*401/s)
    assert.match(await rows.nth(1).textContent(), new RegExp(`retailcrm.*${ENDPOINT}.*201`, 's'))
    await assertTablesScroll(page, 'request log')
    await assertInputsLabelled(page, 'request log')
    await ctx.screenshot('request-log', { docs: true })
  })

  await ctx.step('live, a new request shows up without reloading', async () => {
    await page.check('#live')
    assert.equal((await searchProducts(moysklad.password)).status, 200)
    await page.waitForFunction((selector) => document.querySelectorAll(selector).length === 3, ROWS)
    assert.match(await rows.first().textContent(), /moysklad.*200/s)
    await page.uncheck('#live')
  })

  await ctx.step('a request opens with masked secrets, pretty bodies and a curl line', async () => {
    await Promise.all([
      page.waitForURL(/\/console\/requests\/\d+$/),
      rows.filter({ hasText: ENDPOINT }).locator('a').click()
    ])
    const url = `${ctx.base}/api/${ENDPOINT}`
    assert.equal(await page.locator('[data-test="url"]').textContent(), url)
    assert.match(await page.locator('#request-headers').textContent(), /x-api-key\s*\*\*\*/)
    assert.ok(!(await page.content()).includes(retailcrm.key), 'the key never shows')
    assert.ok((await page.locator('#request-body').textContent()).includes(`"lastName": "${marker}"`))
    assert.ok((await page.locator('#response-body').textContent()).includes('"success": true'))
    await ctx.screenshot('request', { docs: true })
    await page.locator('#curl button[data-copy]').focus()
    await page.keyboard.press('Enter')
    await page.waitForFunction(async () => (await navigator.clipboard.readText()).startsWith('curl'))
    const command = await page.evaluate(() => navigator.clipboard.readText())
    assert.ok(command.includes("-X 'POST'") && command.includes(`'${url}'`), command)
    assert.ok(command.includes("-H 'x-api-key: ***'"), command)
    assert.match(command, /--data-binary 'customer=%7B/)
  })

  await ctx.step('its endpoint link narrows the log to that endpoint', async () => {
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('endpoint') === ENDPOINT),
      page.click('[data-test="same-endpoint"]')
    ])
    assert.equal(await page.locator('#request-filters [name="endpoint"]').inputValue(), ENDPOINT)
    const endpoints = await page.locator(`${ROWS} td:nth-child(6)`).allTextContents()
    assert.ok(endpoints.length >= 1 && endpoints.every((endpoint) => endpoint === ENDPOINT), endpoints.join())
  })

  await ctx.step('a request the npm moysklad client made is found and opened', async () => {
    const ms = moyskladClient(ctx.base, { login: moysklad.login, password: moysklad.password })
    if (!ms) return ctx.skip('the npm moysklad client is not installed (TWIN_CONFORMANCE_NODE_DIR)')
    const folders = await ms.GET('entity/productfolder', { search: marker })
    assert.equal(folders.meta.size, 0)
    await ctx.goto(page, `/console/requests?dialect=moysklad&q=${marker}`)
    const mine = rows.filter({ hasText: 'productfolder' })
    assert.equal(await mine.count(), 1)
    await Promise.all([
      page.waitForURL(/\/console\/requests\/\d+$/),
      mine.locator('a').click()
    ])
    assert.match(await page.locator('[data-test="url"]').textContent(), new RegExp(`/api/remap/1.2/entity/productfolder\\?search=${marker}`))
    assert.match(await page.locator('#request-headers').textContent(), /authorization\s*\*\*\*/)
    assert.ok((await page.locator('#response-body').textContent()).includes('"size": 0'))
  })

  await ctx.step('a bad filter shows the problem, an unknown request is not found', async () => {
    await ctx.goto(page, '/console/requests?status=6xx', { status: 400 })
    assert.match(await page.getByRole('alert').textContent(), /status is a code like 404 or a class like 4xx/)
    await ctx.goto(page, '/console/requests/999999999', { status: 404 })
    assert.match(await page.getByRole('alert').textContent(), /no request 999999999/)
  })
}
