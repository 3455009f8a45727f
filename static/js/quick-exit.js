// Quick exit (SAFETY.md 1): the button, the Escape key, or Shift pressed 3 times within
// 5 seconds (GOV.UK "Exit this page"). Leaving hides the page at once and replaces the
// history entry, so Back does not return here. Loaded in <head>, not deferred, so the
// keys work while the page is still loading.
;(function () {
  'use strict'
  var SHIFT_WINDOW_MS = 5000
  var shiftTimes = []
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

  document.addEventListener('keydown', function (event) {
    if (event.key === 'Escape' || event.key === 'Esc') {
      leave(event)
      return
    }
    if (event.key === 'Shift' && !event.repeat) {
      var now = Date.now()
      shiftTimes = shiftTimes.filter(function (t) { return now - t < SHIFT_WINDOW_MS })
      shiftTimes.push(now)
      if (shiftTimes.length >= 3) { leave(event) }
    } else {
      shiftTimes = []
    }
  }, true)

  document.addEventListener('click', function (event) {
    var target = event.target
    var link = target && target.closest ? target.closest('[data-quick-exit]') : null
    if (link) { leave(event) }
  }, true)

  // A page restored from the back-forward cache must not show again.
  window.addEventListener('pageshow', function (event) {
    if (event.persisted && leaving) { window.location.replace(exitUrl()) }
  })
})()
