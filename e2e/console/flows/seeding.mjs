// Seeding demo data from the Controls page: a fresh account, a number of goods chosen and
// started by keyboard; the progress bar follows the job live to "finished" (done = total)
// without a reload, and the goods then answer through the MoySklad API with the login the
// job gave the account.
import assert from 'node:assert/strict'

import { assertInputsLabelled } from '../lib/checks.mjs'

export const name = 'seeding'

const GOODS = 300

export async function run (ctx) {
  const account = `e2e-seed-${Date.now().toString(36)}`
  await ctx.adminApi('POST', '/accounts', { id: account })
  const page = await ctx.page()
  const form = page.locator('form[data-test="seed"]')
  const job = page.locator('#seed-progress [data-test="seed-job"]')

  await ctx.step('a number of goods is seeded, started by keyboard', async () => {
    await ctx.goto(page, `/console/controls?account=${account}`)
    assert.equal(await page.locator('[data-test="no-seed-job"]').count(), 1)
    await form.locator('[name="dataset"]').selectOption('goods')
    await form.locator('[name="goods"]').fill(String(GOODS))
    await form.locator('[name="seed"]').fill('3')
    await form.locator('button[type="submit"]').focus()
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('notice') === 'Seeding started.'),
      page.keyboard.press('Enter')
    ])
    assert.equal(new URL(page.url()).hash, '#seed')
    await assertInputsLabelled(page, 'controls with a seed job')
  })

  await ctx.step('the progress follows the job to its end without a reload', async () => {
    await page.waitForSelector('#seed-progress [data-test="seed-job"][data-state="finished"]', { timeout: 60000 })
    const [done, total] = [await job.getAttribute('data-done'), await job.getAttribute('data-total')]
    assert.equal(done, total)
    const bar = job.locator('progress')
    assert.equal(await bar.getAttribute('value'), total)
    assert.equal(await bar.getAttribute('max'), total)
    assert.match(await job.textContent(), /Finished.*products/s)
    await ctx.screenshot('controls-seed', { docs: true })
  })

  await ctx.step('the goods answer through the MoySklad API', async () => {
    const source = await page.locator('#seed-progress').getAttribute('data-live-src')
    const { result } = await ctx.adminApi('GET', `/jobs/${source.split('/').pop()}`)
    const listed = await fetch(`${ctx.base}/api/remap/1.2/entity/product?limit=1`, {
      headers: {
        authorization: `Basic ${Buffer.from(`admin@${account}:${account}`).toString('base64')}`,
        'accept-encoding': 'gzip'
      }
    })
    assert.equal(listed.status, 200)
    assert.equal((await listed.json()).meta.size, result.products)
  })
}
