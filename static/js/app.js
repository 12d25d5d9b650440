// poolconsole's small page behaviours (no inline scripts: the CSP forbids them).
(function () {
  "use strict";
  // Ask before submitting forms marked data-confirm.
  document.addEventListener("submit", function (event) {
    const form = event.target;
    const question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });
  // An error summary (server-rendered, [data-error-summary]) takes the focus
  // when the page loads, so that the errors are what is read and seen first;
  // its links move the focus to the field they name.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
    summary.addEventListener("click", function (event) {
      const link = event.target.closest("a[href^='#']");
      if (!link) return;
      let target = document.getElementById(decodeURIComponent(link.hash.slice(1)));
      if (!target) return;
      // A field hidden with its part of a schema row: go to the row.
      if (!target.getClientRects().length) {
        target = target.closest("[data-schema-row]") || target;
      }
      event.preventDefault();
      if (!target.matches("a[href], button, input, select, textarea, [tabindex]")) {
        target.setAttribute("tabindex", "-1");
      }
      // Centred, so that the field's label above it shows too.
      target.scrollIntoView({ block: "center" });
      target.focus({ preventScroll: true });
    });
  }
  // Copy buttons: <button data-copy="text">.
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-copy]");
    if (!button) return;
    const text = button.getAttribute("data-copy");
    const done = function () {
      const label = button.textContent;
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = label; }, 1200);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done);
    } else {
      const area = document.createElement("textarea");
      area.value = text;
      document.body.appendChild(area);
      area.select();
      document.execCommand("copy");
      area.remove();
      done();
    }
  });
})();
