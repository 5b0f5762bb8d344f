// The npm `moysklad` client (wmakeev, pinned in package-lock.json) against Twin, unchanged:
// only its options (endpoint, login/password, fetch) point it here.
//
//   TWIN_BASE=http://127.0.0.1:8080 MS_LOGIN=admin@demo MS_PASSWORD=demo \
//   TWIN_ADMIN_TOKEN=... TWIN_ACCOUNT=demo node npm-client.mjs
//
// On productfolder and currency: create -> get -> update -> list with a filter (exactly the
// expected rows) -> mass create (array POST) -> single DELETE and mass delete. Then the
// assortment listed with folder and stock filters (stock set beforehand through Twin's admin
// API, which is test set-up, not the client), and a bonus program with earning and
// spending transactions that the counterparty's `bonusPoints` follow. Exits 1 with a
// message naming the failed step on the first mismatch.
import Moysklad from 'moysklad'

const base = required('TWIN_BASE').replace(/\/+$/, '')
if (!base.startsWith('http://')) fail(`TWIN_BASE must be an http:// URL, got ${base}`)
const login = required('MS_LOGIN')
const password = required('MS_PASSWORD')
const adminToken = required('TWIN_ADMIN_TOKEN')
const account = required('TWIN_ACCOUNT')

// The client accepts only https:// URLs (src/matchers.js), so it is given the https form of
// Twin's address and this fetch sends its requests over plain http.
const httpsBase = base.replace(/^http:/, 'https:')
const httpFetch = (url, init) =>
  fetch(url.startsWith(httpsBase) ? base + url.slice(httpsBase.length) : url, init)

const ms = Moysklad({ endpoint: `${httpsBase}/api`, login, password, fetch: httpFetch })

let step = 'start'

function required(name) {
  const value = process.env[name]
  if (!value) fail(`environment variable ${name} is not set`)
  return value
}

function fail(message) {
  console.error(`npm-client: FAILED${step ? ` at "${step}"` : ''}: ${message}`)
  process.exit(1)
}

function check(condition, message) {
  if (!condition) fail(message)
}

function equal(actual, expected, what) {
  const a = JSON.stringify(actual)
  const e = JSON.stringify(expected)
  check(a === e, `${what}: expected ${e}, got ${a}`)
}

function sorted(values) {
  return [...values].sort()
}

async function at(name, action) {
  step = name
  const result = await action()
  console.log(`ok  ${name}`)
  return result
}

async function expectNotFound(path) {
  try {
    await ms.GET(path)
  } catch (error) {
    check(
      error instanceof Moysklad.MoyskladApiError,
      `GET ${path}: expected MoyskladApiError, got ${error}`
    )
    equal([error.status, error.code], [404, 1021], `GET ${path}: status and code`)
    return
  }
  fail(`GET ${path} succeeded after the entity was deleted`)
}

function checkEntity(entity, type, what) {
  check(typeof entity?.id === 'string' && entity.id.length === 36, `${what}: no id in ${JSON.stringify(entity)}`)
  equal(entity.meta?.type, type, `${what}: meta.type`)
  equal(
    entity.meta?.href,
    `${base}/api/remap/1.2/entity/${type}/${entity.id}`,
    `${what}: meta.href`
  )
}

/** create -> get -> update -> filtered list -> mass create -> delete + mass delete */
async function lifecycle({ type, first, update, updated, filterOf, batch, keyOf }) {
  const path = `entity/${type}`

  const created = await at(`${type}: create`, () => ms.POST(path, first))
  checkEntity(created, type, `${type} create`)
  for (const [field, value] of Object.entries(first)) {
    equal(created[field], value, `${type} create: ${field}`)
  }

  const got = await at(`${type}: get`, () => ms.GET(`${path}/${created.id}`))
  equal(got.id, created.id, `${type} get: id`)
  for (const [field, value] of Object.entries(first)) {
    equal(got[field], value, `${type} get: ${field}`)
  }

  const changed = await at(`${type}: update`, () => ms.PUT(`${path}/${created.id}`, update))
  equal(changed.id, created.id, `${type} update: id`)
  for (const [field, value] of Object.entries(updated)) {
    equal(changed[field], value, `${type} update: ${field}`)
  }
  const reread = await ms.GET(`${path}/${created.id}`)
  for (const [field, value] of Object.entries(updated)) {
    equal(reread[field], value, `${type} get after update: ${field}`)
  }

  await at(`${type}: list with a filter`, async () => {
    const list = await ms.GET(path, { filter: filterOf([keyOf(changed)]), limit: 10 })
    equal(list.meta?.size, 1, `${type} filtered list: meta.size`)
    equal(list.rows.map(r => r.id), [created.id], `${type} filtered list: rows`)
  })

  const many = await at(`${type}: mass create (array POST)`, () => ms.POST(path, batch))
  check(Array.isArray(many), `${type} mass create: expected an array, got ${JSON.stringify(many)}`)
  equal(many.length, batch.length, `${type} mass create: number of results`)
  many.forEach((entity, i) => {
    checkEntity(entity, type, `${type} mass create [${i}]`)
    for (const [field, value] of Object.entries(batch[i])) {
      equal(entity[field], value, `${type} mass create [${i}]: ${field}`)
    }
  })

  const all = [changed, ...many]
  await at(`${type}: list with an OR filter`, async () => {
    const list = await ms.GET(path, { filter: filterOf(all.map(keyOf)), limit: 100 })
    equal(list.meta?.size, all.length, `${type} OR-filtered list: meta.size`)
    equal(sorted(list.rows.map(r => r.id)), sorted(all.map(e => e.id)), `${type} OR-filtered list: rows`)
  })

  await at(`${type}: delete`, async () => {
    const answer = await ms.DELETE(`${path}/${created.id}`)
    check(answer === undefined, `${type} delete: expected an empty body, got ${JSON.stringify(answer)}`)
    await expectNotFound(`${path}/${created.id}`)
  })

  await at(`${type}: mass delete`, async () => {
    const answer = await ms.POST(`${path}/delete`, many.map(e => ({ meta: e.meta })))
    check(Array.isArray(answer), `${type} mass delete: expected an array, got ${JSON.stringify(answer)}`)
    equal(
      answer.map(r => r.info),
      many.map(e => `Сущность '${type}' с UUID: ${e.id} успешно удалена`),
      `${type} mass delete: results`
    )
    for (const e of many) await expectNotFound(`${path}/${e.id}`)
    const list = await ms.GET(path, { filter: filterOf(all.map(keyOf)) })
    equal(list.meta?.size, 0, `${type} list after deletes: meta.size`)
  })
}

/** Twin's admin API: sets stock levels (no vendor endpoint in scope writes stock). */
async function setStock(lines) {
  const response = await fetch(`${base}/admin/api/accounts/${account}/moysklad/stock`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
    body: JSON.stringify(lines)
  })
  check(response.ok, `setting stock: HTTP ${response.status} ${await response.text()}`)
}

/** Goods in a folder tree, stock in one of them, the assortment filtered both ways. */
async function assortment() {
  const folder = await at('assortment: folder', () => ms.POST('entity/productfolder', { name: 'npm Склад' }))
  const inner = await at('assortment: sub-folder', () =>
    ms.POST('entity/productfolder', { name: 'npm Полка', productFolder: { meta: folder.meta } }))
  const [kept, empty] = await at('assortment: products', () => ms.POST('entity/product', [
    { name: 'npm Молоток', productFolder: { meta: inner.meta } },
    { name: 'npm Гвозди', productFolder: { meta: folder.meta } }
  ]))
  const stores = await ms.GET('entity/store')
  await at('assortment: stock', () => setStock([{ assortment: kept.id, store: stores.rows[0].id, stock: 7, reserve: 2 }]))
  const inFolder = await at('assortment: folder filter', () =>
    ms.GET('entity/assortment', { filter: { productFolder: folder.meta.href } }))
  equal(sorted(inFolder.rows.map(r => r.id)), sorted([kept.id, empty.id]), 'assortment in the folder and below')
  equal(inFolder.meta?.type, 'assortment', 'assortment meta.type')
  const stocked = await at('assortment: stockMode filter', () =>
    ms.GET('entity/assortment', { filter: { productFolder: folder.meta.href, stockMode: 'positiveOnly' } }))
  equal(stocked.rows.map(r => [r.id, r.stock, r.reserve, r.quantity]), [[kept.id, 7, 2, 5]], 'positive stock only')
  const direct = await at('assortment: withSubFolders=false', () =>
    ms.GET('entity/assortment', { filter: { productFolder: folder.meta.href, withSubFolders: false } }))
  equal(direct.rows.map(r => r.id), [empty.id], 'only the folder itself')
}

/** A program, an earning and a spending: the counterparty's points follow. */
async function loyalty() {
  const program = await at('bonusprogram: create', () => ms.POST('entity/bonusprogram', {
    name: 'npm Бонусы', active: true, allProducts: true, allAgents: true,
    earnRateRoublesToPoint: 1, spendRatePointsToRouble: 1, maxPaidRatePercents: 50
  }))
  checkEntity(program, 'bonusprogram', 'bonusprogram create')
  const agent = await ms.POST('entity/counterparty', { name: 'npm Покупатель' })
  const earning = await at('bonustransaction: create', () => ms.POST('entity/bonustransaction', {
    agent: { meta: agent.meta }, bonusProgram: { meta: program.meta },
    transactionType: 'EARNING', bonusValue: 150
  }))
  checkEntity(earning, 'bonustransaction', 'bonustransaction create')
  equal(earning.transactionStatus, 'COMPLETED', 'earning status')
  await at('bonustransaction: spend', () => ms.POST('entity/bonustransaction', {
    agent: { meta: agent.meta }, bonusProgram: { meta: program.meta },
    transactionType: 'SPENDING', bonusValue: 40
  }))
  const points = await at('counterparty: bonusPoints', () => ms.GET(`entity/counterparty/${agent.id}`))
  equal(points.bonusPoints, 110, 'bonusPoints after earning 150 and spending 40')
  const listed = await at('bonustransaction: list by agent', () =>
    ms.GET('entity/bonustransaction', { filter: { agent: agent.meta.href } }))
  equal(listed.meta?.size, 2, 'transactions of the agent')
}

try {
  await assortment()
  await loyalty()
  await lifecycle({
    type: 'productfolder',
    first: { name: 'npm Овощи', code: 'npm-veg', description: 'создано npm-клиентом' },
    update: { name: 'npm Овощи свежие', vat: 10 },
    updated: { name: 'npm Овощи свежие', code: 'npm-veg', vat: 10, vatEnabled: true },
    filterOf: names => ({ name: names }),
    batch: [
      { name: 'npm Фрукты', code: 'npm-fruit' },
      { name: 'npm Ягоды', code: 'npm-berry' }
    ],
    keyOf: e => e.name
  })

  await lifecycle({
    type: 'currency',
    first: { name: 'тенге', code: '398', isoCode: 'KZT', rate: 0.18 },
    update: { rate: 0.2, fullName: 'Казахстанский тенге' },
    updated: { name: 'тенге', isoCode: 'KZT', rate: 0.2, fullName: 'Казахстанский тенге' },
    // `archived` both ways: the vendor hides archived currencies from lists by default.
    filterOf: codes => ({ isoCode: codes, archived: [true, false] }),
    batch: [
      { name: 'белорусский рубль', code: '933', isoCode: 'BYN', rate: 28.5 },
      { name: 'сум', code: '860', isoCode: 'UZS', rate: 0.0075, multiplicity: 1 }
    ],
    keyOf: e => e.isoCode
  })
} catch (error) {
  const detail = error instanceof Moysklad.MoyskladApiError
    ? `${error.name} ${error.status} code ${error.code}: ${error.message} ${JSON.stringify(error.errors)}`
    : error?.stack ?? String(error)
  fail(`${detail}${error?.url ? ` (${error.url})` : ''}`)
}

step = ''
console.log('npm-client: all checks passed')
