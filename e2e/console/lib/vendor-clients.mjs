// The vendors' own client libraries, pointed at Twin, for flows that show what a real client
// sent or got. They are installed for the conformance tests (conformance/moysklad, exported by
// scripts/test as TWIN_CONFORMANCE_NODE_DIR); without it a flow skips what needs them, and on
// CI (`CI` set) that is a failure.
import { createRequire } from 'node:module'
import path from 'node:path'

/**
 * The npm `moysklad` client logged in with `credentials` ({login, password}), or null when the
 * package is not installed. It accepts only https:// endpoints, so it is given Twin's address
 * in that form and a fetch that sends its requests over plain http.
 */
export function moyskladClient (base, credentials) {
  const dir = process.env.TWIN_CONFORMANCE_NODE_DIR
  if (!dir) {
    if (process.env.CI) throw new Error('TWIN_CONFORMANCE_NODE_DIR is unset on CI: the npm moysklad client is missing')
    return null
  }
  const require = createRequire(path.join(dir, 'package.json'))
  const Moysklad = require('moysklad')
  const httpsBase = base.replace(/^http:/, 'https:')
  const fetchTwin = (url, init) =>
    fetch(url.startsWith(httpsBase) ? base + url.slice(httpsBase.length) : url, init)
  return Moysklad({ endpoint: `${httpsBase}/api`, ...credentials, fetch: fetchTwin })
}
