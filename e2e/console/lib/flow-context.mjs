// What a flow gets as `ctx`: browser pages (signed in by default) whose problems are
// recorded, named steps, screenshots at desktop and phone width, and the admin API for
// set-up.
import assert from 'node:assert/strict'
import { copyFile, mkdir } from 'node:fs/promises'
import path from 'node:path'

import { assertFitsWidth } from './checks.mjs'
import { ProblemRecorder } from './problems.mjs'

export const DESKTOP = 1280
export const PHONE = 375
const HEIGHT = 800

export class FlowContext {
  constructor (browser, settings, flow) {
    this.browser = browser
    this.settings = settings
    this.flow = flow
    /** The server, e.g. `http://127.0.0.1:8080`; pages take paths relative to it. */
    this.base = settings.base
    this.token = settings.token
    /** The demo account's credentials (run.mjs, `TWIN_DEMO`). */
    this.demo = settings.demo
    this.currentStep = '(before the first step)'
    /** What the flow could not check yet, with why (printed, not a failure). */
    this.skipped = []
    this.contexts = []
    this.lastPage = null
    this.problems = new ProblemRecorder(settings.base)
  }

  /**
   * A fresh browser (own cookies and storage) with one page, 1280 px wide, signed in through
   * the sign-in form unless `signedIn` is false. `permissions` are granted to the console's
   * origin (e.g. `['clipboard-read', 'clipboard-write']`).
   */
  async page ({ signedIn = true, permissions = [] } = {}) {
    const context = await this.browser.newContext({
      baseURL: this.base,
      viewport: { width: DESKTOP, height: HEIGHT }
    })
    this.contexts.push(context)
    context.setDefaultTimeout(30000)
    context.setDefaultNavigationTimeout(30000)
    if (permissions.length) await context.grantPermissions(permissions, { origin: this.base })
    const page = await context.newPage()
    this.problems.watch(page)
    this.lastPage = page
    if (signedIn) {
      await page.goto('/console/login')
      await page.fill('#token', this.token)
      await Promise.all([
        page.waitForURL((url) => url.pathname === '/console/'),
        page.press('#token', 'Enter')
      ])
    }
    return page
  }

  /**
   * Opens `target` (a path) in `page` and asserts the answer's status; an error status given
   * here is expected, not reported as a problem.
   */
  async goto (page, target, { status = 200 } = {}) {
    if (status >= 400) this.expectHttpError(status, new URL(target, this.base).pathname)
    const response = await page.goto(target)
    assert.equal(response.status(), status, `GET ${target}`)
    return response
  }

  /** The next `status` answer to `pathname` is what the flow provokes, not a problem. */
  expectHttpError (status, pathname) {
    this.problems.expect(status, pathname)
  }

  /**
   * Runs one named step; it fails when `action` throws or the browser reported a problem
   * meanwhile. A failure names the flow and this step.
   */
  async step (label, action) {
    this.currentStep = label
    const result = await action()
    this.problems.check()
    return result
  }

  /** Notes something not checked (a page not built yet), with why. */
  skip (what) {
    this.skipped.push(what)
  }

  /**
   * Full-page screenshots `<flow>-<name>-1280.png` and, with `phone`, `-375.png`, each after
   * asserting the page fits the window's width (`fits: false` to skip that). With `docs`, also
   * copied to `TWIN_CONSOLE_DOCS_DIR` as `<name>-<width>.png`.
   */
  async screenshot (name, { page = this.lastPage, phone = true, docs = false, fits = true } = {}) {
    const widths = phone ? [DESKTOP, PHONE] : [DESKTOP]
    await mkdir(this.settings.screenshots, { recursive: true })
    for (const width of widths) {
      await page.setViewportSize({ width, height: HEIGHT })
      if (fits) await assertFitsWidth(page, `${name} at ${width} px`)
      const file = path.join(this.settings.screenshots, `${this.flow}-${name}-${width}.png`)
      await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' })
      if (docs && this.settings.docs) {
        await mkdir(this.settings.docs, { recursive: true })
        await copyFile(file, path.join(this.settings.docs, `${name}-${width}.png`))
      }
    }
    await page.setViewportSize({ width: DESKTOP, height: HEIGHT })
  }

  /** A call to the admin API (`path` below `/admin/api`) for set-up; its JSON, or null. */
  async adminApi (method, apiPath, body) {
    const response = await fetch(`${this.base}/admin/api${apiPath}`, {
      method,
      headers: {
        authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' })
      },
      body: body === undefined ? undefined : JSON.stringify(body)
    })
    const text = await response.text()
    if (!response.ok) throw new Error(`admin ${method} ${apiPath} answered ${response.status}: ${text}`)
    return text ? JSON.parse(text) : null
  }

  /** After the flow: what the browser reported after the last step fails it too. */
  finish () {
    this.currentStep = '(after the last step)'
    this.problems.check()
  }

  /** The last page as it was when the flow failed: `<flow>-FAILED.png`. */
  async failureScreenshot () {
    if (!this.lastPage || this.lastPage.isClosed()) return
    const file = path.join(this.settings.screenshots, `${this.flow}-FAILED.png`)
    try {
      await mkdir(this.settings.screenshots, { recursive: true })
      await this.lastPage.screenshot({ path: file, fullPage: true, timeout: 5000 })
      console.log(`  the page when it failed: ${file}`)
    } catch {
      // The page is gone (the browser crashed): the failure message is all there is.
    }
  }

  async close () {
    for (const context of this.contexts) await context.close().catch(() => {})
  }
}
