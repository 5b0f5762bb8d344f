// Signing in by keyboard only, a wrong token refused, the home page with the demo account's
// credentials, a working copy button, and signing out.
import assert from 'node:assert/strict'

import { focusTop, tabTo } from '../lib/keyboard.mjs'

export const name = 'sign-in'

export async function run (ctx) {
  const page = await ctx.page({ signedIn: false, permissions: ['clipboard-read', 'clipboard-write'] })

  await ctx.step('a console page sends a stranger to the sign-in form', async () => {
    await page.goto('/console/')
    assert.equal(new URL(page.url()).pathname, '/console/login')
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'token', 'the token field has focus')
    await ctx.screenshot('form')
  })

  await ctx.step('Tab reaches the token field', async () => {
    await focusTop(page)
    const presses = await tabTo(page, '#token', { max: 5 })
    assert.ok(presses >= 2, 'the skip link and the brand come first')
  })

  await ctx.step('a wrong token is refused', async () => {
    ctx.expectHttpError(401, '/console/login')
    await page.keyboard.type('not-the-token')
    await page.keyboard.press('Enter')
    const alert = page.getByRole('alert')
    await alert.waitFor()
    assert.match(await alert.textContent(), /not the admin token/)
    assert.equal(new URL(page.url()).pathname, '/console/login')
    assert.equal(await page.inputValue('#token'), '', 'the wrong token is not shown again')
    await ctx.screenshot('refused', { phone: false })
  })

  await ctx.step('the admin token signs in and lands on the home page', async () => {
    // The refused form has the field focused again; the keyboard alone goes on.
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'token')
    await page.keyboard.type(ctx.token)
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/console/'),
      page.keyboard.press('Enter')
    ])
    assert.equal(await page.locator('h1').textContent(), 'Twin')
  })

  const account = page.locator(`section[aria-label="Account ${ctx.demo.account}"]`)
  await ctx.step('the home page shows the demo account, its credentials and health', async () => {
    await account.waitFor()
    const text = await account.textContent()
    const { retailcrm, moysklad, kassa, salesdoc } = ctx.demo
    for (const secret of [
      retailcrm.key,
      moysklad.login,
      moysklad.password,
      kassa.appId,
      kassa.appSecret,
      kassa.clientToken,
      salesdoc.login,
      salesdoc.password
    ]) {
      assert.ok(text.includes(secret), `the demo account shows ${secret}`)
    }
    assert.ok(text.includes(`curl -H 'X-API-KEY: ${retailcrm.key}' ${ctx.base}/api/credentials`), 'a curl line')
    assert.match(await page.locator('#health + dl').textContent(), /Store\s*answering/)
    await ctx.screenshot('home')
  })

  await ctx.step('a copy button puts the secret on the clipboard', async () => {
    const button = account.locator(`button[data-copy="${ctx.demo.retailcrm.key}"]`)
    // Its label changes for a moment: record every label it gets rather than racing it.
    await button.evaluate((element) => {
      window.copyLabels = []
      new MutationObserver(() => window.copyLabels.push(element.textContent))
        .observe(element, { childList: true, characterData: true, subtree: true })
    })
    await button.focus()
    await page.keyboard.press('Enter')
    await page.waitForFunction(() => window.copyLabels.includes('Copied'))
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), ctx.demo.retailcrm.key)
  })

  await ctx.step('signing out ends the session', async () => {
    await focusTop(page)
    await tabTo(page, '.signout button')
    await Promise.all([
      page.waitForURL((url) => url.pathname === '/console/login'),
      page.keyboard.press('Enter')
    ])
    await page.goto('/console/')
    assert.equal(new URL(page.url()).pathname, '/console/login', 'signed out: back to the form')
  })
}
