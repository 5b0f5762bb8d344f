// The Controls page: the account picker, a snapshot downloaded from the demo account and
// uploaded into a fresh one (its goods then answer through the MoySklad API), a wrong file
// refused with the reason, the clock frozen, moved by keyboard and released, a reset that
// asks first and does nothing when declined.
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'

import { assertInputsLabelled } from '../lib/checks.mjs'
import { tabTo } from '../lib/keyboard.mjs'

export const name = 'controls'

/** `GET /api/remap/1.2{path}` with a MoySklad login; its JSON. */
async function moysklad (ctx, login, password, apiPath) {
  const answer = await fetch(`${ctx.base}/api/remap/1.2${apiPath}`, {
    headers: {
      authorization: `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`,
      'accept-encoding': 'gzip'
    }
  })
  assert.equal(answer.status, 200, `MoySklad ${apiPath}`)
  return answer.json()
}

/** Submits a form whose button asks first (`data-confirm`), answering the question. */
async function confirmAndSubmit (page, button, accept) {
  page.once('dialog', (dialog) => (accept ? dialog.accept() : dialog.dismiss()))
  await button.click()
}

export async function run (ctx) {
  const page = await ctx.page()
  const copy = `e2e-controls-${Date.now()}`
  const login = `admin@${copy}`
  const downloads = await mkdtemp(path.join(tmpdir(), 'twin-controls-'))

  try {
    await ctx.step('the picker opens the demo account', async () => {
      await ctx.goto(page, '/console/controls')
      await page.selectOption('#account', ctx.demo.account)
      await Promise.all([
        page.waitForURL((url) => url.searchParams.get('account') === ctx.demo.account),
        page.click('[data-test="account-picker"] button')
      ])
      for (const section of ['#reset', '#snapshot', '#clock']) await page.locator(section).waitFor()
      await assertInputsLabelled(page, 'controls')
      await ctx.screenshot('controls-account', { docs: true })
    })

    const file = await ctx.step('the snapshot downloads as the demo account\'s file', async () => {
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('[data-test="snapshot-export"]')
      ])
      assert.equal(download.suggestedFilename(), `${ctx.demo.account}.twin.json`)
      const saved = path.join(downloads, download.suggestedFilename())
      await download.saveAs(saved)
      return saved
    })

    await ctx.step('uploaded into a fresh account, its goods answer through MoySklad', async () => {
      await ctx.adminApi('POST', '/accounts', { id: copy })
      await ctx.adminApi('POST', `/accounts/${copy}/credentials`, {
        dialect: 'moysklad', type: 'password', login, password: 'e2e'
      })
      await ctx.goto(page, `/console/controls?account=${copy}`)
      await page.setInputFiles('#snapshot-file', file)
      await Promise.all([
        page.waitForURL((url) => url.searchParams.has('notice')),
        confirmAndSubmit(page, page.locator('[data-test="snapshot-import"] button'), true)
      ])
      assert.match(await page.locator('.notice').textContent(), /imported into account/)
      const { moysklad: demo } = ctx.demo
      const original = await moysklad(ctx, demo.login, demo.password, '/entity/product?limit=1')
      const copied = await moysklad(ctx, login, 'e2e', '/entity/product?limit=1')
      assert.ok(original.meta.size > 0, 'the demo account has goods')
      assert.equal(copied.meta.size, original.meta.size)
      assert.equal(copied.rows[0].name, original.rows[0].name)
    })

    await ctx.step('a file that is not a snapshot is refused with the reason', async () => {
      ctx.expectHttpError(400, `/console/accounts/${copy}/snapshot/import`)
      await page.setInputFiles('#snapshot-file', {
        name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a snapshot')
      })
      await confirmAndSubmit(page, page.locator('[data-test="snapshot-import"] button'), true)
      const alert = page.locator('[data-test="controls-error"]')
      await alert.waitFor()
      assert.match(await alert.textContent(), /Malformed JSON/)
    })

    await ctx.step('the clock freezes, moves an hour by keyboard and is released', async () => {
      await ctx.goto(page, `/console/controls?account=${copy}`)
      await page.fill('#clock-freeze-at', '2025-01-31T09:30:00')
      await Promise.all([
        page.waitForURL((url) => url.searchParams.has('notice')),
        page.click('[data-test="clock-freeze"] button')
      ])
      const setting = page.locator('[data-test="clock-setting"]')
      assert.match(await setting.textContent(), /Frozen at 2025-01-31 09:30:00/)
      // From the seconds field: its Advance button, then the quick +1 h.
      await page.focus('#clock-advance-seconds')
      assert.equal(await tabTo(page, '[data-test="clock-advance-hour"] button', { max: 3 }), 2)
      await Promise.all([
        page.waitForURL((url) => url.searchParams.get('notice')?.includes('1 h forward')),
        page.keyboard.press('Enter')
      ])
      assert.match(await setting.textContent(), /Frozen at 2025-01-31 10:30:00/)
      const clock = await ctx.adminApi('GET', `/accounts/${copy}/clock`)
      assert.deepEqual(clock.setting, { mode: 'frozen', at: '2025-01-31T10:30:00Z' })
      await ctx.screenshot('clock-frozen', { phone: false })
      await Promise.all([
        page.waitForURL((url) => url.searchParams.get('notice')?.startsWith('Clock released')),
        page.click('[data-test="clock-release"] button')
      ])
      assert.equal(await setting.textContent(), 'Real time')
    })

    await ctx.step('a reset asks first: declined, nothing happens; accepted, the goods are gone', async () => {
      await page.selectOption('#reset-dialect', 'moysklad')
      const reset = page.locator('[data-test="reset"] button')
      await confirmAndSubmit(page, reset, false)
      assert.ok(!new URL(page.url()).searchParams.get('notice')?.includes('reset'), 'declined: no reset')
      const kept = await moysklad(ctx, login, 'e2e', '/entity/product?limit=1')
      assert.ok(kept.meta.size > 0, 'declined: the goods stay')
      await Promise.all([
        page.waitForURL((url) => url.searchParams.get('notice')?.includes('reset')),
        confirmAndSubmit(page, reset, true)
      ])
      const emptied = await moysklad(ctx, login, 'e2e', '/entity/product?limit=1')
      assert.equal(emptied.meta.size, 0)
    })
  } finally {
    await rm(downloads, { recursive: true, force: true })
  }
}
