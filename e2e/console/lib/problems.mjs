// What the browser reports that a flow did not ask for: console errors, uncaught page errors,
// requests that failed, and 4xx/5xx answers to /console URLs. A flow declares the error
// answers it provokes on purpose (a wrong token's 401, a page not built yet) with
// `expect(status, path)`; the browser's "Failed to load resource" line for such an answer
// is then expected too.

export class ProblemRecorder {
  constructor (base) {
    this.origin = new URL(base).origin
    this.events = []
    this.expected = []
    this.toleratedUrls = new Set()
  }

  /** Listens to everything `page` reports. */
  watch (page) {
    page.on('console', (message) => {
      if (message.type() === 'error') {
        this.events.push({ kind: 'console error', text: message.text(), url: message.location().url })
      }
    })
    page.on('pageerror', (error) => {
      this.events.push({ kind: 'page error', text: error.stack || String(error) })
    })
    page.on('requestfailed', (request) => {
      const reason = request.failure()?.errorText
      // An aborted request is one the page itself dropped (navigating away, a download).
      if (reason !== 'net::ERR_ABORTED' && new URL(request.url()).origin === this.origin) {
        this.events.push({ kind: 'failed request', text: `${request.method()} ${request.url()}: ${reason}` })
      }
    })
    page.on('response', (response) => {
      const url = new URL(response.url())
      if (url.origin === this.origin && url.pathname.startsWith('/console') && response.status() >= 400) {
        this.events.push({
          kind: 'error answer',
          status: response.status(),
          path: url.pathname,
          url: response.url(),
          text: `${response.request().method()} ${response.url()} answered ${response.status()}`
        })
      }
    })
  }

  /** The next `status` answer to `path` (no query) is wanted, not a problem. */
  expect (status, path) {
    this.expected.push({ status, path })
  }

  /**
   * Throws listing what was reported since the last check that was not expected; forgets
   * the expectations left over.
   */
  check () {
    const events = this.events.splice(0)
    const problems = []
    for (const event of events.filter((e) => e.kind === 'error answer')) {
      const at = this.expected.findIndex((e) => e.status === event.status && e.path === event.path)
      if (at >= 0) {
        this.expected.splice(at, 1)
        this.toleratedUrls.add(event.url)
      } else {
        problems.push(`${event.kind}: ${event.text}`)
      }
    }
    this.expected = []
    for (const event of events.filter((e) => e.kind !== 'error answer')) {
      const expectedAnswer = event.kind === 'console error' &&
        event.text.startsWith('Failed to load resource') && this.toleratedUrls.has(event.url)
      if (!expectedAnswer) problems.push(`${event.kind}: ${event.text}${event.url ? ` (${event.url})` : ''}`)
    }
    if (problems.length) throw new Error(`the browser reported:\n    ${problems.join('\n    ')}`)
  }
}
