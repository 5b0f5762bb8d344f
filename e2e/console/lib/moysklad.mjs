// The demo account's MoySklad API, as a client calls it (Basic auth; fetch asks for gzip),
// for flows that make data or webhooks to look at in the console.
import assert from 'node:assert/strict'

/**
 * `method` `/api/remap/1.2{apiPath}` with the demo login and `body` as JSON; asserts the
 * answer is a 2xx and gives its JSON (null when empty).
 */
export async function moysklad (ctx, method, apiPath, body) {
  const { login, password } = ctx.demo.moysklad
  const answer = await fetch(`${ctx.base}/api/remap/1.2${apiPath}`, {
    method,
    headers: {
      authorization: `Basic ${Buffer.from(`${login}:${password}`).toString('base64')}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' })
    },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await answer.text()
  assert.ok(answer.ok, `MoySklad ${method} ${apiPath}: ${answer.status} ${text}`)
  return text ? JSON.parse(text) : null
}
