// Nothing typed is lost (issue 13 §1). Progressive enhancement only: the pages work without it.
//
// - A form with free text that has changes not yet sent asks before the page is left
//   (beforeunload). Submitting the form (any of its buttons) is not leaving. Free text means:
//   a POST form with a <textarea> (its own or one joined through the `form` attribute), or
//   any form marked `data-unsaved-warning`; `data-unsaved-ignore` opts a form out.
//   base.html loads this script on every page, so every such form is covered.
// - A form marked `data-autosave-url` posts its fields there every 30 seconds while it has
//   changes not yet autosaved. The answer carries the new `lock_version`, which the form
//   takes over; a conflict (409) stops the autosave and says so: saving by hand then shows
//   the comparison with what the other person saved.
(() => {
  "use strict";
  // Loaded by base.html; a page that still adds it itself must not watch its forms twice.
  if (window.faellesindgangUnsaved) return;
  window.faellesindgangUnsaved = true;
  const INTERVAL_MS = 30000;

  const hasFreeText = (form) =>
    form.method === "post" && [...form.elements].some((el) => el.tagName === "TEXTAREA");
  const watched = [...document.querySelectorAll("form")].filter(
    (form) =>
      !form.hasAttribute("data-unsaved-ignore") &&
      (form.hasAttribute("data-unsaved-warning") || hasFreeText(form)),
  );

  for (const form of watched) {
    let dirty = false; // changed since the page loaded or since the last save
    let changedSinceAutosave = false;
    let stopped = false;
    const fields = () => [...form.elements];
    const mark = () => {
      dirty = true;
      changedSinceAutosave = true;
    };
    // Fields that belong to the form through their `form` attribute sit outside it.
    document.addEventListener("input", (event) => {
      if (fields().includes(event.target)) mark();
    });
    document.addEventListener("change", (event) => {
      if (fields().includes(event.target)) mark();
    });
    form.addEventListener("submit", () => {
      dirty = false;
    });
    window.addEventListener("beforeunload", (event) => {
      if (!dirty) return;
      event.preventDefault();
      event.returnValue = "";
    });

    const url = form.dataset.autosaveUrl;
    const status = form.querySelector("#autosave-status");
    if (!url) continue;
    window.setInterval(async () => {
      if (stopped || !changedSinceAutosave) return;
      changedSinceAutosave = false;
      let response;
      try {
        response = await fetch(url, {
          method: "POST",
          body: new FormData(form),
          credentials: "same-origin",
          headers: { "X-Requested-With": "fetch" },
        });
      } catch {
        changedSinceAutosave = true; // offline: try again next time
        return;
      }
      const answer = await response.json().catch(() => ({}));
      if (response.ok) {
        const lock = form.querySelector("input[name=lock_version]");
        if (lock && answer.lock_version !== undefined) lock.value = answer.lock_version;
        if (answer.saved && !changedSinceAutosave) dirty = false;
        if (status && answer.message) status.textContent = answer.message;
        return;
      }
      if (response.status === 409) stopped = true;
      if (status && answer.message) {
        status.textContent = answer.message;
        status.classList.add("text-danger");
      }
    }, INTERVAL_MS);
  }
})();
