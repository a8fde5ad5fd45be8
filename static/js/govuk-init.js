// Starts GOV.UK Frontend's components (was an inline module script: the CSP allows none).
import { initAll } from "../vendor/govuk-frontend-5.14.0/govuk-frontend.min.js";

initAll();

// The agenda builder redraws its table after Up or Down (htmx). htmx keeps the focus on the
// button pressed when it is still there (each has an id); at the top or bottom of its part the
// item has lost that button, so the keyboard goes to the item's other one.
document.addEventListener("htmx:afterSettle", (event) => {
  const table = event.detail.elt;
  if (!table || table.id !== "agenda-items") return;
  const moved = table.getAttribute("data-moved");
  if (!moved || (document.activeElement && document.activeElement !== document.body)) return;
  const row = document.getElementById(`item-${moved}`);
  const button = row && row.querySelector("button[name=direction]");
  if (button) button.focus();
});
