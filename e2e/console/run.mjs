// Runs every browser flow in flows/*.mjs (or the ones named as arguments) through the web
// console of a running Twin, in Debian's Chromium driven by playwright-core. Each flow
// exports `name` and `async run(ctx)` (ctx: lib/flow-context.mjs). A flow fails on a thrown
// error and on any browser console error, page error or failed console request; the run
// exits non-zero naming each failed flow and its step.
//
// Environment (crates/server/tests/it/console/browser.rs sets it all):
//   TWIN_BASE           the server, e.g. http://127.0.0.1:8080
//   TWIN_ADMIN_TOKEN    the admin token (signs the browser in, and authorizes adminApi)
//   TWIN_DEMO           the demo account's credentials as JSON:
//                       {"account", "retailcrm": {"key"}, "moysklad": {"login", "password"},
//                        "kassa": {"appId", "appSecret", "clientToken"},
//                        "salesdoc": {"login", "password"}}
//   TWIN_CHROMIUM       the browser, e.g. /usr/bin/chromium
//   TWIN_SCREENSHOTS    where screenshots go (created when missing)
//   TWIN_CONSOLE_DOCS_DIR  optional: where the screenshots flows mark as docs are copied too
//   TWIN_FLOW_TIMEOUT_MS   optional: the most one flow may take (default 180000)
import { readdir, rm } from 'node:fs/promises'
import { fileURLToPath, pathToFileURL } from 'node:url'
import path from 'node:path'

import { launchBrowser } from './lib/browser.mjs'
import { FlowContext } from './lib/flow-context.mjs'

const here = path.dirname(fileURLToPath(import.meta.url))

function config () {
  const required = (name) => {
    const value = process.env[name]
    if (!value) {
      console.error(`run.mjs: ${name} is not set (see the top of run.mjs)`)
      process.exit(2)
    }
    return value
  }
  return {
    base: required('TWIN_BASE').replace(/\/$/, ''),
    token: required('TWIN_ADMIN_TOKEN'),
    demo: JSON.parse(required('TWIN_DEMO')),
    chromium: required('TWIN_CHROMIUM'),
    screenshots: required('TWIN_SCREENSHOTS'),
    docs: process.env.TWIN_CONSOLE_DOCS_DIR || null,
    flowTimeout: Number(process.env.TWIN_FLOW_TIMEOUT_MS || 180000)
  }
}

/** The flow modules, by file name; only those named in `wanted` when it is not empty. */
async function loadFlows (wanted) {
  const dir = path.join(here, 'flows')
  const files = (await readdir(dir)).filter((file) => file.endsWith('.mjs')).sort()
  const flows = []
  for (const file of files) {
    const flow = await import(pathToFileURL(path.join(dir, file)))
    if (typeof flow.name !== 'string' || typeof flow.run !== 'function') {
      throw new Error(`flows/${file} must export name and async run(ctx)`)
    }
    if (wanted.length === 0 || wanted.includes(flow.name)) flows.push(flow)
  }
  const unknown = wanted.filter((name) => !flows.some((flow) => flow.name === name))
  if (unknown.length) throw new Error(`no flow named ${unknown.join(', ')}`)
  return flows
}

/** Runs one flow; resolves to its failure message, or null when it passed. */
async function runFlow (browser, settings, flow) {
  const ctx = new FlowContext(browser, settings, flow.name)
  await rm(path.join(settings.screenshots, `${flow.name}-FAILED.png`), { force: true })
  const started = Date.now()
  let timer
  const timeout = new Promise((resolve, reject) => {
    timer = setTimeout(
      () => reject(`did not finish within ${settings.flowTimeout} ms`),
      settings.flowTimeout
    )
  })
  let failure = null
  try {
    await Promise.race([flow.run(ctx).then(() => ctx.finish()), timeout])
  } catch (error) {
    failure = `step "${ctx.currentStep}": ${error.stack || error}`
    await ctx.failureScreenshot()
  } finally {
    clearTimeout(timer)
    await ctx.close()
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  for (const skipped of ctx.skipped) console.log(`  skipped: ${skipped}`)
  console.log(failure ? `FAILED ${flow.name} (${seconds} s)` : `ok ${flow.name} (${seconds} s)`)
  return failure
}

const settings = config()
const flows = await loadFlows(process.argv.slice(2))
const browser = await launchBrowser(settings.chromium)
const failed = []
try {
  for (const flow of flows) {
    const failure = await runFlow(browser, settings, flow)
    if (failure) failed.push(`${flow.name}, ${failure}`)
  }
} finally {
  await browser.close()
}
for (const failure of failed) console.error(`\nFAILED flow ${failure}`)
console.log(`\ne2e: ${flows.length - failed.length} passed, ${failed.length} failed`)
process.exitCode = failed.length ? 1 : 0
