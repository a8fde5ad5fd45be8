// Starts GOV.UK Frontend's components (was an inline module script: the CSP allows none).
import { initAll } from "../vendor/govuk-frontend-5.14.0/govuk-frontend.min.js";

initAll();
