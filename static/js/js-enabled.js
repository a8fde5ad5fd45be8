// Marks the page as having JavaScript before it paints (GOV.UK Frontend's js-enabled classes).
// Loaded at the start of <body>, without defer, so no flash of the no-script layout.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
