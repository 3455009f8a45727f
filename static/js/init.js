// GOV.UK Frontend components (error summary focus, character count, details polyfills).
import { initAll } from '../govuk/govuk-frontend.min.js'

initAll()
