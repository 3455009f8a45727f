// Quick exit (docs/safety.md#quick-exit): the button, the Escape key, or Shift pressed 3 times within
// 5 seconds (GOV.UK "Exit this page"). Leaving hides the page at once and replaces the
// history entry, so Back does not return here. Loaded in <head>, not deferred, so the
// keys work while the page is still loading.
;(function () {
  'use strict'
  var SHIFT_WINDOW_MS = 5000
  var shiftTimes = []
  var shiftWasHeldForAnotherKey = false
  var leaving = false

  function exitUrl () {
    var meta = document.querySelector('meta[name="quick-exit-url"]')
    return (meta && meta.getAttribute('content')) || 'https://www.bbc.co.uk/weather'
  }

  function leave (event) {
    if (event) { event.preventDefault() }
    if (leaving) { return }
    leaving = true
    // CSSOM changes are allowed by our CSP; the page disappears before the next paint.
    document.documentElement.style.visibility = 'hidden'
    document.documentElement.className += ' app-leaving'
    document.title = 'Leaving'
    window.location.replace(exitUrl())
  }

  // Escape leaves at once. Any other key breaks a run of Shift presses, and a Shift that
  // was held for another key (a capital letter, Shift+Tab) is not a press.
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' || event.key === 'Esc') {
      leave(event)
      return
    }
    if (event.key !== 'Shift') {
      shiftTimes = []
      shiftWasHeldForAnotherKey = event.shiftKey
    }
  }, true)

  // Shift counts when it is released, as GOV.UK "Exit this page" does.
  document.addEventListener('keyup', function (event) {
    if (event.key !== 'Shift') { return }
    if (shiftWasHeldForAnotherKey) {
      shiftWasHeldForAnotherKey = false
      return
    }
    var now = Date.now()
    shiftTimes = shiftTimes.filter(function (t) { return now - t < SHIFT_WINDOW_MS })
    shiftTimes.push(now)
    if (shiftTimes.length >= 3) { leave(event) }
  }, true)

  document.addEventListener('click', function (event) {
    var target = event.target
    var link = target && target.closest ? target.closest('[data-quick-exit]') : null
    if (link) { leave(event) }
  }, true)

  // The bar sticks to the top of the window, so whatever is scrolled into view (a field
  // from the error summary, a focused control) must stop below it, not behind it
  // (WCAG 2.2, 2.4.11 Focus Not Obscured). site.scss has a fixed fallback without JS.
  function keepContentBelowTheBar () {
    var bar = document.querySelector('[data-quick-exit-container]')
    if (!bar) { return }
    function update () {
      var sticky = window.getComputedStyle(bar).position === 'sticky'
      document.documentElement.style.scrollPaddingTop = sticky ? (bar.offsetHeight + 10) + 'px' : ''
    }
    update()
    if (window.ResizeObserver) {
      new window.ResizeObserver(update).observe(bar)
    } else {
      window.addEventListener('resize', update)
    }
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', keepContentBelowTheBar)
  } else {
    keepContentBelowTheBar()
  }

  // A page restored from the back-forward cache must not show again.
  window.addEventListener('pageshow', function (event) {
    if (event.persisted && leaving) { window.location.replace(exitUrl()) }
  })
})()
