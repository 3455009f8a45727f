// Reads a booking's QR code with the phone camera on the check-in page, using the
// browser's own BarcodeDetector. Nothing is loaded from anywhere else. Where the browser
// cannot scan, or the camera is refused, the button stays hidden or says so, and staff
// type the code into the same form: the page works without this script.

const SCAN_EVERY_MS = 250

const scanner = document.querySelector('[data-scanner]')

async function canScanQrCodes () {
  if (!('BarcodeDetector' in window) || !navigator.mediaDevices?.getUserMedia) {
    return false
  }
  try {
    const formats = await window.BarcodeDetector.getSupportedFormats()
    return formats.includes('qr_code')
  } catch {
    return false
  }
}

function stop (stream, video) {
  stream.getTracks().forEach((track) => track.stop())
  video.srcObject = null
  video.hidden = true
}

async function scan (form, video, message, button) {
  let stream
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: 'environment' },
      audio: false
    })
  } catch {
    message.textContent = 'The camera is not available. Type the booking code instead.'
    return
  }
  button.hidden = true
  video.hidden = false
  video.srcObject = stream
  await video.play()
  message.textContent = 'Point the camera at the QR code on their booking page.'
  const detector = new window.BarcodeDetector({ formats: ['qr_code'] })
  const look = async () => {
    let found = []
    try {
      found = await detector.detect(video)
    } catch {
      found = []
    }
    if (found.length > 0) {
      stop(stream, video)
      form.querySelector('input[name=code]').value = found[0].rawValue
      message.textContent = 'Code read. Checking in…'
      form.requestSubmit()
      return
    }
    window.setTimeout(look, SCAN_EVERY_MS)
  }
  look()
}

async function start () {
  if (!scanner || !(await canScanQrCodes())) {
    return
  }
  const form = scanner.closest('form')
  const video = scanner.querySelector('[data-scanner-video]')
  const message = scanner.querySelector('[data-scanner-message]')
  const button = scanner.querySelector('[data-scanner-start]')
  scanner.hidden = false
  button.addEventListener('click', () => scan(form, video, message, button))
}

start()
