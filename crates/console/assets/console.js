// Twin console: progressive enhancements only; every page works without this script.
'use strict'

// Copy buttons: <button class="copy" data-copy="text">.
document.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-copy]')
  if (!button) return
  const text = button.getAttribute('data-copy')
  try {
    await navigator.clipboard.writeText(text)
  } catch {
    // Clipboard API refused (plain http on another host): fall back to a selection.
    const area = document.createElement('textarea')
    area.value = text
    document.body.appendChild(area)
    area.select()
    document.execCommand('copy')
    area.remove()
  }
  const label = button.textContent
  button.textContent = 'Copied'
  setTimeout(() => { button.textContent = label }, 1200)
})

// Forms asking first: <form data-confirm="Really?">.
document.addEventListener('submit', (event) => {
  const question = event.target.getAttribute('data-confirm')
  if (question && !window.confirm(question)) event.preventDefault()
})

// Live regions: <div data-live-src="/console/..." data-live-ms="2000"> is refreshed from
// the URL (an HTML fragment) while its checkbox <input data-live-toggle> is checked. With
// data-live-hold-focus, not while the keyboard focus is inside it (a button in it would
// be replaced under the user's finger).
function startLive (region) {
  const src = region.getAttribute('data-live-src')
  const every = Number(region.getAttribute('data-live-ms') || 2000)
  const toggle = document.querySelector(`[data-live-toggle="${region.id}"]`)
  const holding = () => region.hasAttribute('data-live-hold-focus') && region.contains(document.activeElement)
  // A fragment holding [data-live-done] has nothing more to show (a job that ended).
  const ended = () => region.querySelector('[data-live-done]') !== null
  const tick = async () => {
    if ((!toggle || toggle.checked) && !holding()) {
      try {
        const answer = await fetch(src, { credentials: 'same-origin', headers: { accept: 'text/html' } })
        // Redirected: signed out meanwhile, so keep what is shown rather than the sign-in page.
        if (answer.ok && !answer.redirected) region.innerHTML = await answer.text()
      } catch {
        // The server is away (restarting): try again on the next tick.
      }
    }
    if (!ended()) setTimeout(tick, every)
  }
  if (!ended()) setTimeout(tick, every)
}
document.querySelectorAll('[data-live-src]').forEach(startLive)

// Fault rules (faults/): the rule form shows only the chosen action's parameter.
document.querySelectorAll('select[data-action-select]').forEach((select) => {
  const show = () => select.form.querySelectorAll('[data-action]').forEach((box) => {
    box.hidden = box.getAttribute('data-action') !== select.value
  })
  select.addEventListener('change', show)
  show()
})
